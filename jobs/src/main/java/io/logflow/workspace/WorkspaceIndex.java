package io.logflow.workspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which workspace owns a routing key, from a set of registrations. Built once from the registrations in force
 * ({@link #of}), then kept up to date one change at a time ({@link #update}): with 100 K workspaces a rebuild per
 * registration would make loading them quadratic.
 *
 * <p>Routing keys: a CloudWatch event's is {@code <account>/<logGroup>} (e.g. {@code 123456789012//aws/lambda/x}),
 * an uploaded file's is its {@code <workspace>} folder, its path below the uploads folder, or its URI (matched with a
 * trailing {@code /} when it is not a URI, so {@code acme/} claims the key {@code acme}). Rules, in order:
 * <ol>
 *   <li>an exact log-group claim of the key's account beats any prefix;</li>
 *   <li>among log-group prefixes ({@code /aws/lambda/*}) of that account, the longest wins;</li>
 *   <li>otherwise the longest upload prefix that starts the key wins.</li>
 * </ol>
 * Only {@link WorkspaceStatus#ACTIVE} workspaces claim anything. Two workspaces making the very same claim (same
 * account and pattern, or same upload prefix) conflict: the lowest workspace id (string order) wins, deterministically
 * on every subtask, and the conflict is listed in {@link #conflicts()} so the job can report it. {@code workspace put}
 * refuses to create one ({@link #conflictsWith}).
 *
 * <p>Memory: the index is one map entry per claim whose key and value are the registration's own objects (its pattern
 * string, the {@link Workspace}), so it adds about 40 bytes a claim to the broadcast state it indexes. Not thread-safe.
 */
public final class WorkspaceIndex {
    private static final Pattern CLOUDWATCH_KEY = Pattern.compile("\\d{12}/.*", Pattern.DOTALL);
    private static final Comparator<Workspace> BY_ID = Comparator.comparing(w -> w.id);

    /** What matched: the owner and the claim that decided it. */
    public static final class Match {
        public final String workspaceId;
        /** The claim as {@code account:pattern} for log groups, the prefix for uploads. */
        public final String claim;
        public final boolean exact;

        Match(String workspaceId, String claim, boolean exact) {
            this.workspaceId = workspaceId;
            this.claim = claim;
            this.exact = exact;
        }

        @Override
        public String toString() {
            return workspaceId + " via " + claim + (exact ? " (exact)" : " (prefix)");
        }
    }

    /** The same claim made by more than one workspace; {@link #winner} gets the events. */
    public static final class Conflict {
        public final String claim;
        public final String winner;
        public final List<String> losers;

        Conflict(String claim, String winner, List<String> losers) {
            this.claim = claim;
            this.winner = winner;
            this.losers = List.copyOf(losers);
        }

        @Override
        public String toString() {
            return claim + " claimed by " + winner + " and " + String.join(", ", losers) + "; " + winner + " wins";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Conflict && ((Conflict) o).claim.equals(claim) && ((Conflict) o).winner.equals(winner)
                    && ((Conflict) o).losers.equals(losers);
        }

        @Override
        public int hashCode() {
            return Objects.hash(claim, winner, losers);
        }
    }

    /**
     * Log-group pattern as registered (an exact name, or a prefix with its {@code *}) → the one workspace claiming it,
     * or a {@code Workspace[]} sorted by id when several do (in one account: a conflict; in several: the same name in
     * different accounts, which is common). The account is checked on lookup.
     */
    private final Map<String, Object> logGroups = new HashMap<>();
    /** Normalised upload prefix → its claimant, or claimants sorted by id. */
    private final Map<String, Object> uploadPrefixes = new HashMap<>();
    /** Lengths of the log-group prefixes in use (without the {@code *}), longest first → how many claims have it. */
    private final TreeMap<Integer, Integer> logGroupPrefixLengths = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Integer, Integer> uploadPrefixLengths = new TreeMap<>(Comparator.reverseOrder());
    private int size;
    private int conflictCount;
    /**
     * The last key {@link #match} answered and its answer (null for no owner): events come in runs of one routing key
     * (a payload, a file), and the match builds strings and runs a regex. Forgotten by every {@link #update}.
     */
    private String lastKey;
    private Match lastMatch;

    private WorkspaceIndex() {}

    /** The index of {@code workspaces} (ids are unique: a later registration of an id replaces an earlier one). */
    public static WorkspaceIndex of(Collection<Workspace> workspaces) {
        Map<String, Workspace> byId = new LinkedHashMap<>();
        for (Workspace w : workspaces) {
            if (w != null) {
                byId.put(w.id, w);
            }
        }
        WorkspaceIndex index = new WorkspaceIndex();
        byId.values().forEach(index::add);
        return index;
    }

    /**
     * Applies one change: {@code previous} (the registration in force, or null) is replaced by {@code current} (the
     * new registration, or null for a deletion). {@code previous} must be the registration this index was given for
     * that id.
     */
    public void update(Workspace previous, Workspace current) {
        lastKey = null;
        lastMatch = null;
        if (previous != null) {
            remove(previous);
        }
        if (current != null) {
            add(current);
        }
    }

    private void add(Workspace w) {
        if (!w.isActive()) {
            return;
        }
        size++;
        for (String pattern : w.logGroups) {
            change(logGroups, pattern, w, true, pattern.endsWith("*") ? logGroupPrefixLengths : null,
                    pattern.length() - 1);
        }
        for (String prefix : w.uploadPrefixes) {
            String key = WorkspaceJson.normaliseUri(prefix);
            change(uploadPrefixes, key, w, true, uploadPrefixLengths, key.length());
        }
    }

    private void remove(Workspace w) {
        if (!w.isActive()) {
            return;
        }
        size--;
        for (String pattern : w.logGroups) {
            change(logGroups, pattern, w, false, pattern.endsWith("*") ? logGroupPrefixLengths : null,
                    pattern.length() - 1);
        }
        for (String prefix : w.uploadPrefixes) {
            String key = WorkspaceJson.normaliseUri(prefix);
            change(uploadPrefixes, key, w, false, uploadPrefixLengths, key.length());
        }
    }

    /** Adds or removes {@code w}'s claim of {@code key}, keeping the conflict count and the prefix lengths. */
    private void change(Map<String, Object> claims, String key, Workspace w, boolean add,
            TreeMap<Integer, Integer> lengths, int length) {
        Object before = claims.get(key);
        Object after = add ? with(before, w) : without(before, w);
        if (after == before) {
            return; // a claim listed twice, or not there: nothing changes
        }
        boolean logGroup = claims == logGroups;
        conflictCount += conflicts(after, logGroup) - conflicts(before, logGroup);
        if (after == null) {
            claims.remove(key);
        } else {
            claims.put(key, after);
        }
        if (lengths != null) {
            lengths.merge(length, add ? 1 : -1, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    private static Object with(Object entry, Workspace w) {
        if (entry == null) {
            return w;
        }
        Workspace[] all = claimants(entry);
        for (Workspace x : all) {
            if (x.id.equals(w.id)) {
                return entry;
            }
        }
        Workspace[] more = Arrays.copyOf(all, all.length + 1);
        more[all.length] = w;
        Arrays.sort(more, BY_ID); // the lowest id first: the winner, whatever the order of arrival
        return more;
    }

    private static Object without(Object entry, Workspace w) {
        if (entry == null) {
            return null;
        }
        Workspace[] all = claimants(entry);
        Workspace[] rest = Arrays.stream(all).filter(x -> !x.id.equals(w.id)).toArray(Workspace[]::new);
        if (rest.length == all.length) {
            return entry;
        }
        return rest.length == 0 ? null : rest.length == 1 ? rest[0] : rest;
    }

    private static Workspace[] claimants(Object entry) {
        return entry instanceof Workspace ? new Workspace[] {(Workspace) entry} : (Workspace[]) entry;
    }

    /** How many conflicting claims one entry holds: per account for log groups, one for a shared upload prefix. */
    private static int conflicts(Object entry, boolean logGroup) {
        if (!(entry instanceof Workspace[])) {
            return 0;
        }
        Workspace[] all = (Workspace[]) entry;
        if (!logGroup) {
            return 1;
        }
        return (int) Arrays.stream(all).collect(Collectors.groupingBy(w -> String.valueOf(w.awsAccountId),
                Collectors.counting())).values().stream().filter(n -> n > 1).count();
    }

    /** The routing key of a CloudWatch event of {@code logGroup} in {@code account}. */
    public static String cloudWatchKey(String account, String logGroup) {
        return account + "/" + logGroup;
    }

    /** The owner of {@code routingKey}, or null when no active workspace claims it. */
    public Match match(String routingKey) {
        if (routingKey == null || routingKey.isEmpty()) {
            return null;
        }
        if (!routingKey.equals(lastKey)) {
            lastMatch = find(routingKey);
            lastKey = routingKey;
        }
        return lastMatch;
    }

    private Match find(String routingKey) {
        if (CLOUDWATCH_KEY.matcher(routingKey).matches()) {
            String account = routingKey.substring(0, 12);
            String logGroup = routingKey.substring(13);
            Workspace owner = logGroup.endsWith("*") ? null : ofAccount(logGroups.get(logGroup), account);
            if (owner != null) {
                return new Match(owner.id, account + ":" + logGroup, true);
            }
            for (int length : logGroupPrefixLengths.keySet()) {
                if (length <= logGroup.length()) {
                    String pattern = logGroup.substring(0, length) + "*";
                    owner = ofAccount(logGroups.get(pattern), account);
                    if (owner != null) {
                        return new Match(owner.id, account + ":" + pattern, false);
                    }
                }
            }
        }
        // An upload's key is its <workspace> folder ("acme"), its path below the uploads folder, or a URI; the
        // folder form is matched as "acme/" too, so the prefix "acme/" claims it but not "acme-2".
        String key = WorkspaceJson.normaliseUri(routingKey);
        if (!key.endsWith("/") && !WorkspaceJson.URI_PREFIX.matcher(key).matches()) {
            key = key + "/";
        }
        for (int length : uploadPrefixLengths.keySet()) {
            if (length <= key.length()) {
                String prefix = key.substring(0, length);
                Object entry = uploadPrefixes.get(prefix);
                if (entry != null) {
                    return new Match(claimants(entry)[0].id, prefix, false);
                }
            }
        }
        return null;
    }

    /** The first (lowest id) claimant in {@code account}, or null. */
    private static Workspace ofAccount(Object entry, String account) {
        if (entry == null) {
            return null;
        }
        for (Workspace w : claimants(entry)) {
            if (account.equals(w.awsAccountId)) {
                return w;
            }
        }
        return null;
    }

    /** The owner's id of {@code routingKey}, or null. */
    public String ownerOf(String routingKey) {
        Match m = match(routingKey);
        return m == null ? null : m.workspaceId;
    }

    /** Claims made by more than one active workspace, in a stable order. Walks every claim: for reports, not per event. */
    public List<Conflict> conflicts() {
        TreeMap<String, Conflict> out = new TreeMap<>();
        logGroups.forEach((pattern, entry) -> addConflicts(out, pattern, entry, true));
        uploadPrefixes.forEach((prefix, entry) -> addConflicts(out, prefix, entry, false));
        return List.copyOf(out.values());
    }

    /** The conflicts among {@code w}'s claims (none when it is not active or not indexed). */
    public List<Conflict> conflictsOf(Workspace w) {
        TreeMap<String, Conflict> out = new TreeMap<>();
        for (String pattern : w.logGroups) {
            addConflicts(out, pattern, logGroups.get(pattern), true);
        }
        for (String prefix : w.uploadPrefixes) {
            String key = WorkspaceJson.normaliseUri(prefix);
            addConflicts(out, key, uploadPrefixes.get(key), false);
        }
        out.values().removeIf(c -> !c.winner.equals(w.id) && !c.losers.contains(w.id));
        return List.copyOf(out.values());
    }

    /** How many claims are in conflict; kept up to date, so cheap to ask after every change. */
    public int conflictCount() {
        return conflictCount;
    }

    /** Adds the conflicts of one entry, keyed for a stable order: log groups by account and pattern, then uploads. */
    private static void addConflicts(Map<String, Conflict> out, String key, Object entry, boolean logGroup) {
        if (!(entry instanceof Workspace[])) {
            return;
        }
        Map<String, List<String>> idsByAccount = new TreeMap<>();
        for (Workspace w : (Workspace[]) entry) { // sorted by id
            idsByAccount.computeIfAbsent(logGroup ? String.valueOf(w.awsAccountId) : "", a -> new ArrayList<>())
                    .add(w.id);
        }
        idsByAccount.forEach((account, ids) -> {
            if (ids.size() > 1) {
                String claim = logGroup ? account + ":" + key : key;
                out.put((logGroup ? "lg\0" + account + "\0" : "up\0") + key,
                        new Conflict(claim, ids.get(0), ids.subList(1, ids.size())));
            }
        });
    }

    /** Number of active workspaces indexed. */
    public int size() {
        return size;
    }

    /**
     * The claims of {@code candidate} that another registration in {@code current} already makes (the candidate's own
     * earlier registration is ignored), as readable lines; empty when it may be registered.
     */
    public static List<String> conflictsWith(Collection<Workspace> current, Workspace candidate) {
        List<String> out = new ArrayList<>();
        for (Workspace other : current) {
            if (other == null || other.id.equals(candidate.id) || !other.isActive()) {
                continue;
            }
            if (candidate.awsAccountId != null && candidate.awsAccountId.equals(other.awsAccountId)) {
                for (String pattern : candidate.logGroups) {
                    if (other.logGroups.contains(pattern)) {
                        out.add("log group " + candidate.awsAccountId + ":" + pattern + " is already claimed by "
                                + "workspace '" + other.id + "'");
                    }
                }
            }
            for (String prefix : candidate.uploadPrefixes) {
                String normalised = WorkspaceJson.normaliseUri(prefix);
                if (other.uploadPrefixes.stream().map(WorkspaceJson::normaliseUri).anyMatch(normalised::equals)) {
                    out.add("upload prefix " + prefix + " is already claimed by workspace '" + other.id + "'");
                }
            }
        }
        return out;
    }
}

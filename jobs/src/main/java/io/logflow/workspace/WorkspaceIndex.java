package io.logflow.workspace;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which workspace owns a routing key, from a set of registrations. Immutable; rebuild it when a registration changes.
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
 */
public final class WorkspaceIndex {
    private static final Pattern CLOUDWATCH_KEY = Pattern.compile("\\d{12}/.*", Pattern.DOTALL);

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

    /** {@code account + '\0' + logGroup} → owner. */
    private final Map<String, String> exact = new HashMap<>();
    /** {@code account + '\0' + prefix} (without the {@code *}) → owner. */
    private final Map<String, String> logGroupPrefixes = new HashMap<>();
    /** Distinct lengths of the log-group prefixes, longest first. */
    private final TreeSet<Integer> logGroupPrefixLengths = new TreeSet<>(Comparator.reverseOrder());
    private final Map<String, String> uploadPrefixes = new HashMap<>();
    private final TreeSet<Integer> uploadPrefixLengths = new TreeSet<>(Comparator.reverseOrder());
    private final List<Conflict> conflicts = new ArrayList<>();
    private final int size;

    private WorkspaceIndex(Collection<Workspace> workspaces) {
        // claim → every workspace making it, to find conflicts; TreeMaps keep reports in a stable order
        Map<String, TreeSet<String>> claimants = new TreeMap<>();
        int active = 0;
        for (Workspace w : workspaces) {
            if (w == null || !w.isActive()) {
                continue;
            }
            active++;
            for (String pattern : w.logGroups) {
                claimants.computeIfAbsent("lg\0" + w.awsAccountId + "\0" + pattern, k -> new TreeSet<>()).add(w.id);
            }
            for (String prefix : w.uploadPrefixes) {
                claimants.computeIfAbsent("up\0" + WorkspaceJson.normaliseUri(prefix), k -> new TreeSet<>()).add(w.id);
            }
        }
        size = active;
        for (Map.Entry<String, TreeSet<String>> e : claimants.entrySet()) {
            String[] parts = e.getKey().split("\0", -1);
            String winner = e.getValue().first(); // lowest id: the same answer on every subtask
            if (e.getValue().size() > 1) {
                List<String> losers = new ArrayList<>(e.getValue());
                losers.remove(winner);
                conflicts.add(new Conflict(describe(parts), winner, losers));
            }
            if (parts[0].equals("up")) {
                uploadPrefixes.put(parts[1], winner);
                uploadPrefixLengths.add(parts[1].length());
            } else if (parts[2].endsWith("*")) {
                String prefix = parts[2].substring(0, parts[2].length() - 1);
                logGroupPrefixes.put(parts[1] + "\0" + prefix, winner);
                logGroupPrefixLengths.add(prefix.length());
            } else {
                exact.put(parts[1] + "\0" + parts[2], winner);
            }
        }
    }

    public static WorkspaceIndex of(Collection<Workspace> workspaces) {
        return new WorkspaceIndex(workspaces);
    }

    private static String describe(String[] claimParts) {
        return claimParts[0].equals("up") ? claimParts[1] : claimParts[1] + ":" + claimParts[2];
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
        if (CLOUDWATCH_KEY.matcher(routingKey).matches()) {
            String account = routingKey.substring(0, 12);
            String logGroup = routingKey.substring(13);
            String owner = exact.get(account + "\0" + logGroup);
            if (owner != null) {
                return new Match(owner, account + ":" + logGroup, true);
            }
            for (int length : logGroupPrefixLengths) {
                if (length <= logGroup.length()) {
                    String prefix = logGroup.substring(0, length);
                    owner = logGroupPrefixes.get(account + "\0" + prefix);
                    if (owner != null) {
                        return new Match(owner, account + ":" + prefix + "*", false);
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
        for (int length : uploadPrefixLengths) {
            if (length <= key.length()) {
                String prefix = key.substring(0, length);
                String owner = uploadPrefixes.get(prefix);
                if (owner != null) {
                    return new Match(owner, prefix, false);
                }
            }
        }
        return null;
    }

    /** The owner's id of {@code routingKey}, or null. */
    public String ownerOf(String routingKey) {
        Match m = match(routingKey);
        return m == null ? null : m.workspaceId;
    }

    /** Claims made by more than one active workspace, in a stable order. */
    public List<Conflict> conflicts() {
        return List.copyOf(conflicts);
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

package io.logflow.pipeline;

/**
 * A row of {@code log_templates}: a template as it stood when the job's template step reported it (when it was
 * founded, when its text changed, and at most about once a minute of event time while lines keep matching it).
 * A later report of the same template replaces an earlier one; counts and times only grow, so replays and reports
 * arriving out of order leave the row as the newest report made it.
 */
public class TemplateReport {
    /** The event's workspace, or {@code "-"} for events the job did not enrich (as the metrics tables do). */
    public String workspaceId;
    /** Stays put while the template generalises; unique within the workspace. */
    public String templateId;
    public String template;
    /** UTC epoch millis, the earliest and latest event time of its lines. */
    public long firstSeen;
    public long lastSeen;
    /** Lines matched to it by the subtask that holds it, since it was founded. */
    public long events;
    /** The line that founded it (cut to 1,000 characters). */
    public String example;
    /** The routing key (log group or upload path) whose lines the template was mined from. */
    public String routingKey;

    public TemplateReport() {}

    @Override
    public String toString() {
        return "TemplateReport{" + workspaceId + " " + templateId + " " + events + " " + template + '}';
    }
}

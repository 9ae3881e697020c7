package io.supportroi.generate;

/**
 * Zendesk Support API shapes (tickets, ticket metrics, users) of a simulated ticket as it stands on the as-of date:
 * a ticket solved after the as-of date is still open then, its resolution metrics null, as a real export would show.
 */
final class ZendeskJson {
    private ZendeskJson() {}

    static final String SUBDOMAIN = "fernwoodbox";
    static final String API = "https://" + SUBDOMAIN + ".zendesk.com/api/v2/";
    static final String SUPPORT_ADDRESS = "support@" + AgentProfile.EMAIL_DOMAIN;
    /** Zendesk closes a solved ticket automatically after four days. */
    static final long AUTO_CLOSE = 4 * Times.DAY;

    /** What a ticket looks like at {@code asOf} (exclusive end of the as-of day). */
    record View(boolean replied, boolean solved, String status, long updatedAt, String satisfaction) {
        boolean assigned() {
            return !status.equals("new");
        }
    }

    static View view(SimTicket t, long asOf) {
        boolean solved = t.solvedAt() < asOf;
        boolean replied = t.repliedAt() < asOf;
        if (!solved) {
            String status = replied ? SimTicket.UNSOLVED_STATUS[t.unsolvedStatus()] : "new";
            return new View(replied, false, status, replied ? t.repliedAt() : t.createdAt(), "unoffered");
        }
        boolean rated = (t.csat() == SimTicket.Csat.GOOD || t.csat() == SimTicket.Csat.BAD) && t.ratedAt() < asOf;
        String satisfaction = switch (t.csat()) {
            case UNOFFERED -> "unoffered";
            case OFFERED -> "offered";
            case GOOD -> rated ? "good" : "offered";
            case BAD -> rated ? "bad" : "offered";
        };
        boolean closed = t.solvedAt() + AUTO_CLOSE <= asOf;
        long updated = closed ? t.solvedAt() + AUTO_CLOSE : Math.max(t.solvedAt(), rated ? t.ratedAt() : 0);
        return new View(true, true, closed ? "closed" : "solved", updated, satisfaction);
    }

    static void ticket(JsonWriter w, SimTicket t, View v, CustomerProfile c, AgentProfile agent) {
        long requester = Ids.zendeskEndUser(c.index());
        w.beginObject();
        w.field("url", API + "tickets/" + t.id() + ".json");
        w.field("id", t.id());
        w.nullField("external_id");
        w.name("via").beginObject().field("channel", t.rawChannel());
        w.name("source").beginObject();
        if (t.channel() == Channels.EMAIL) {
            // Outbound tickets are mails from support to the customer; inbound ones the other way round.
            boolean outbound = t.kind().outbound;
            w.name("from").beginObject()
                    .field("address", outbound ? SUPPORT_ADDRESS : c.email())
                    .field("name", outbound ? agent.name() : c.name()).endObject();
            w.name("to").beginObject()
                    .field("address", outbound ? c.email() : SUPPORT_ADDRESS)
                    .field("name", outbound ? c.name() : "Fernwood Box").endObject();
        } else {
            w.emptyObjectField("from").emptyObjectField("to");
        }
        w.nullField("rel").endObject().endObject();
        w.utcField("created_at", t.createdAt());
        w.utcField("updated_at", v.updatedAt());
        w.field("generated_timestamp", v.updatedAt());
        w.field("type", t.type());
        w.field("subject", t.subject());
        w.field("raw_subject", t.subject());
        w.field("priority", t.priority());
        w.field("status", v.status());
        w.field("requester_id", requester);
        w.field("submitter_id", t.kind().outbound ? agent.zendeskUserId() : requester);
        w.name("assignee_id");
        if (v.assigned()) {
            w.value(agent.zendeskUserId());
        } else {
            w.nullValue();
        }
        w.nullField("organization_id");
        w.name("group_id");
        if (v.assigned()) {
            w.value(agent.groupId());
        } else {
            w.nullValue();
        }
        w.name("tags").beginArray();
        if (t.kind().campaignTag != null) {
            w.value(t.kind().campaignTag).value("outbound");
        } else {
            w.value(t.topic());
        }
        w.endArray();
        w.name("satisfaction_rating").beginObject();
        if (v.satisfaction().equals("good") || v.satisfaction().equals("bad")) {
            w.field("id", Ids.zendeskRating(t.id()));
            w.field("score", v.satisfaction());
            w.nullField("comment");
        } else {
            w.field("score", v.satisfaction());
        }
        w.endObject();
        w.field("is_public", true);
        w.endObject();
    }

    static void metric(JsonWriter w, SimTicket t, View v) {
        long created = t.createdAt();
        w.beginObject();
        long id = Ids.zendeskMetric(t.id());
        w.field("url", API + "ticket_metrics/" + id + ".json");
        w.field("id", id);
        w.field("ticket_id", t.id());
        w.utcField("created_at", created);
        w.utcField("updated_at", v.updatedAt());
        w.field("group_stations", v.assigned() ? 1 : 0);
        w.field("assignee_stations", v.assigned() ? 1 : 0);
        w.field("reopens", v.solved() ? t.reopens() : 0);
        w.field("replies", v.solved() ? t.replies() : v.replied() ? 1 : 0);
        long lastAgentTouch = v.solved() ? t.solvedAt() : t.repliedAt();
        w.utcFieldOrNull("assignee_updated_at", v.replied(), lastAgentTouch);
        w.utcField("requester_updated_at", created);
        w.utcField("status_updated_at", v.updatedAt());
        long assignedAt = created + Math.min(t.replyMinutes(), 5) * Times.MINUTE;
        w.utcFieldOrNull("initially_assigned_at", v.assigned(), assignedAt);
        w.utcFieldOrNull("assigned_at", v.assigned(), assignedAt);
        w.utcFieldOrNull("solved_at", v.solved(), t.solvedAt());
        w.utcField("latest_comment_added_at", v.replied() ? lastAgentTouch : created);
        minutes(w, "reply_time_in_minutes", v.replied(), created, t.replyMinutes());
        minutes(w, "first_resolution_time_in_minutes", v.solved(), created, t.firstResolutionMinutes());
        minutes(w, "full_resolution_time_in_minutes", v.solved(), created, t.fullResolutionMinutes());
        long agentWait = t.fullResolutionMinutes() - t.requesterWaitMinutes() - t.onHoldMinutes();
        minutes(w, "agent_wait_time_in_minutes", v.solved(), created, agentWait);
        minutes(w, "requester_wait_time_in_minutes", v.solved(), created, t.requesterWaitMinutes());
        minutes(w, "on_hold_time_in_minutes", true, created, v.solved() ? t.onHoldMinutes() : 0);
        w.endObject();
    }

    /** Zendesk's {@code {calendar, business}} pair; both null while the milestone is not reached. */
    private static void minutes(JsonWriter w, String name, boolean present, long from, long calendarMinutes) {
        w.name(name).beginObject();
        if (present) {
            w.field("calendar", calendarMinutes);
            w.field("business", Times.businessMinutes(from, from + calendarMinutes * Times.MINUTE));
        } else {
            w.nullField("calendar").nullField("business");
        }
        w.endObject();
    }

    static void endUser(JsonWriter w, CustomerProfile c, long createdAt) {
        user(w, Ids.zendeskEndUser(c.index()), c.name(), c.email(), createdAt, "end-user", -1);
    }

    static void agent(JsonWriter w, AgentProfile a, long createdAt) {
        user(w, a.zendeskUserId(), a.name(), a.email(), createdAt, "agent", a.groupId());
    }

    private static void user(JsonWriter w, long id, String name, String email, long createdAt, String role,
                             long defaultGroup) {
        w.beginObject();
        w.field("id", id);
        w.field("url", API + "users/" + id + ".json");
        w.field("name", name);
        w.field("email", email);
        w.utcField("created_at", createdAt);
        w.utcField("updated_at", createdAt);
        w.field("time_zone", "Eastern Time (US & Canada)");
        w.field("iana_time_zone", Times.SHOP_ZONE.getId());
        w.nullField("phone");
        w.field("locale", "en-US");
        w.field("role", role);
        if (defaultGroup >= 0) {
            w.field("default_group_id", defaultGroup);
        }
        w.field("verified", true);
        w.field("active", true);
        w.nullField("external_id");
        w.name("tags").beginArray().endArray();
        w.field("suspended", false);
        w.endObject();
    }
}

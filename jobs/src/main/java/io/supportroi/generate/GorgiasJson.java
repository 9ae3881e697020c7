package io.supportroi.generate;

import java.util.HashMap;
import java.util.Map;

/**
 * Gorgias REST API shapes (a ticket with its messages, a satisfaction survey) of a simulated ticket as it stands at a
 * cut-off instant. The figures SPEC §5 derives from Gorgias come out exactly as the simulation decided them, in whole
 * seconds, so a ticket falls in the same speed bucket whichever helpdesk it is written to:
 * <ul>
 *   <li>first response: the first message {@code from_agent} is sent at {@code created + reply minutes};</li>
 *   <li>resolution: {@code closed_datetime} is {@code created + full resolution minutes};</li>
 *   <li>agent replies: as many agent messages as Zendesk's {@code replies} (1 while the ticket is open);</li>
 *   <li>CSAT: a survey scored 4-5 for a good rating, 1-3 for a bad one, unscored when offered but not answered.</li>
 * </ul>
 * Reopens are not represented: Gorgias only keeps a ticket's last close, so a reopen shows in no single export.
 */
final class GorgiasJson {
    private GorgiasJson() {}

    /**
     * Gorgias channel slug per simulated raw channel ({@link Channels#RAW} order: email, web, chat, native_messaging,
     * voice, twitter, facebook, sms). Each maps to the same normalised channel under the default channel mapping as
     * the Zendesk name does: web forms are Gorgias's {@code contact_form}; the messaging widget's conversations come
     * in over WhatsApp; the two social networks are Instagram DMs and Facebook Messenger.
     */
    static final String[] CHANNEL = {"email", "contact_form", "chat", "whatsapp", "phone",
            "instagram-direct-message", "facebook-messenger", "sms"};
    /** How the first message arrived ({@code via}), per simulated raw channel. */
    static final String[] VIA = {"email", "contact_form", "chat", "whatsapp", "phone", "instagram", "facebook", "sms"};
    /** Outbound tickets are opened by the subscription app through the API, agents reply from the helpdesk. */
    static final String VIA_API = "api";
    static final String VIA_HELPDESK = "helpdesk";
    /** A survey goes out this long after the ticket is closed (the simulator rates at least 10 minutes after). */
    static final long SURVEY_DELAY = 10 * Times.MINUTE;

    /** Every tag the generator uses, with a fixed id each (Gorgias tags are account objects with ids). */
    private static final Map<String, Long> TAG_IDS = new HashMap<>();

    static {
        String[] extra = {"payment_failed", "welcome", "winback", "welcome-upsell", "outbound"};
        long id = Ids.GORGIAS_TAG_BASE;
        for (String t : CustomerSimulator.TOPICS) {
            TAG_IDS.put(t, id++);
        }
        for (String t : extra) {
            TAG_IDS.put(t, id++);
        }
    }

    static String channel(SimTicket t) {
        return CHANNEL[t.channel()];
    }

    /**
     * What a ticket looks like before {@code cut} (exclusive): closed once solved, replied once the first agent
     * message is sent. {@code agentMessages} is Zendesk's {@code replies} on the same date.
     */
    record View(boolean replied, boolean closed, int agentMessages, long updatedAt) {}

    static View view(SimTicket t, long cut) {
        boolean closed = t.solvedAt() < cut;
        boolean replied = t.repliedAt() < cut;
        int agentMessages = closed ? t.replies() : replied ? 1 : 0;
        long updated = closed ? t.solvedAt() : replied ? t.repliedAt() : t.createdAt();
        return new View(replied, closed, agentMessages, updated);
    }

    /** Send time of the k-th agent message (0-based) of {@code n}: the first reply, then evenly up to the close. */
    static long agentMessageAt(SimTicket t, int k, int n) {
        if (n <= 1) {
            return t.repliedAt();
        }
        return t.repliedAt() + (t.solvedAt() - t.repliedAt()) * k / (n - 1);
    }

    static void ticket(JsonWriter w, SimTicket t, View v, CustomerProfile c, AgentProfile agent) {
        long id = Ids.gorgiasTicket(t.id());
        boolean outbound = t.kind().outbound;
        int n = v.agentMessages();
        // The customer's follow-ups sit between the agent's messages; the last customer message is the latest of them.
        long lastReceived = n >= 2 ? (agentMessageAt(t, n - 2, n) + agentMessageAt(t, n - 1, n)) / 2 : t.createdAt();
        long lastMessage = n >= 1 ? agentMessageAt(t, n - 1, n) : t.createdAt();

        w.beginObject();
        w.field("id", id);
        w.field("uri", "/api/tickets/" + id + "/");
        w.nullField("external_id");
        w.field("language", "en");
        w.field("status", v.closed() ? "closed" : "open");
        w.field("priority", t.priority());
        w.field("channel", channel(t));
        w.field("via", outbound ? VIA_API : VIA[t.channel()]);
        w.field("from_agent", false);
        w.field("spam", false);
        w.name("customer");
        customer(w, c);
        w.name("assignee_user");
        if (v.replied()) {
            user(w, agent);
        } else {
            w.nullValue();
        }
        w.nullField("assignee_team");
        w.field("subject", t.subject());
        w.name("tags").beginArray();
        if (t.kind().campaignTag != null) {
            tag(w, t.kind().campaignTag);
            tag(w, "outbound");
        } else {
            tag(w, t.topic());
        }
        w.endArray();
        w.name("messages").beginArray();
        message(w, t, id, 0, t.createdAt(), false, c, agent, outbound ? VIA_API : VIA[t.channel()],
                outbound ? openingNote(t) : t.subject());
        int m = 1;
        for (int k = 0; k < n; k++) {
            long at = agentMessageAt(t, k, n);
            message(w, t, id, m++, at, true, c, agent, VIA_HELPDESK, agentText(t, k, n));
            if (k + 1 < n) {
                long followUp = (at + agentMessageAt(t, k + 1, n)) / 2;
                message(w, t, id, m++, followUp, false, c, agent, VIA[t.channel()], "Thanks, one more question.");
            }
        }
        w.endArray();
        w.utcOffsetField("created_datetime", t.createdAt());
        w.utcOffsetFieldOrNull("opened_datetime", v.replied(), t.repliedAt());
        w.utcOffsetField("last_received_message_datetime", lastReceived);
        w.utcOffsetField("last_message_datetime", lastMessage);
        w.utcOffsetField("updated_datetime", v.updatedAt());
        w.utcOffsetFieldOrNull("closed_datetime", v.closed(), t.solvedAt());
        w.nullField("snooze_datetime");
        w.nullField("trashed_datetime");
        w.field("is_unread", !v.replied());
        w.endObject();
    }

    /** The subscription app's note that opens an outbound ticket on the customer's record. */
    private static String openingNote(SimTicket t) {
        return t.kind() == SimTicket.Kind.WINBACK
                ? "Renewal payment still failing after dunning: win-back list"
                : "New subscriber after the cut-off: offer this month's box";
    }

    private static String agentText(SimTicket t, int k, int n) {
        if (k == 0) {
            return t.kind().outbound ? t.subject() : "Thanks for reaching out, I'm looking into this now.";
        }
        return k == n - 1 ? "All sorted! Let us know if there's anything else." : "Here's an update on your request.";
    }

    private static void message(JsonWriter w, SimTicket t, long ticketId, int k, long at, boolean fromAgent,
                                CustomerProfile c, AgentProfile agent, String via, String text) {
        long id = Ids.gorgiasMessage(ticketId, k);
        boolean email = t.channel() == Channels.EMAIL;
        w.beginObject();
        w.field("id", id);
        w.field("uri", "/api/tickets/" + ticketId + "/messages/" + id + "/");
        w.field("ticket_id", ticketId);
        w.field("channel", channel(t));
        w.field("via", via);
        w.field("from_agent", fromAgent);
        w.field("public", true);
        // Who sent it and to whom: the agent and the customer, or the customer writing to the shop's integration
        // (no user receives it).
        w.name("sender");
        if (fromAgent) {
            person(w, Ids.gorgiasUser(agent.index()), agent.email(), agent.name());
        } else {
            person(w, Ids.gorgiasCustomer(c.index()), c.email(), c.name());
        }
        w.name("receiver");
        if (fromAgent) {
            person(w, Ids.gorgiasCustomer(c.index()), c.email(), c.name());
        } else {
            w.nullValue();
        }
        w.name("source").beginObject().field("type", email ? "email" : channel(t));
        w.name("from").beginObject()
                .field("name", fromAgent ? agent.name() : c.name())
                .field("address", email ? (fromAgent ? ZendeskJson.SUPPORT_ADDRESS : c.email()) : null)
                .endObject();
        w.name("to").beginArray().beginObject()
                .field("name", fromAgent ? c.name() : "Fernwood Box")
                .field("address", email ? (fromAgent ? c.email() : ZendeskJson.SUPPORT_ADDRESS) : null)
                .endObject().endArray();
        w.endObject();
        w.field("subject", k == 0 ? t.subject() : "Re: " + t.subject());
        w.field("body_text", text);
        w.utcOffsetField("created_datetime", at);
        w.utcOffsetField("sent_datetime", at);
        w.nullField("failed_datetime");
        w.endObject();
    }

    private static void customer(JsonWriter w, CustomerProfile c) {
        w.beginObject()
                .field("id", Ids.gorgiasCustomer(c.index()))
                .field("email", c.email())
                .field("name", c.name())
                .field("firstname", c.firstName())
                .field("lastname", c.lastName())
                .endObject();
    }

    private static void user(JsonWriter w, AgentProfile a) {
        String name = a.name();
        int space = name.indexOf(' ');
        w.beginObject()
                .field("id", Ids.gorgiasUser(a.index()))
                .field("email", a.email())
                .field("name", name)
                .field("firstname", space < 0 ? name : name.substring(0, space))
                .field("lastname", space < 0 ? "" : name.substring(space + 1))
                .endObject();
    }

    /** The short form of a user or customer inside a message. */
    private static void person(JsonWriter w, long id, String email, String name) {
        w.beginObject().field("id", id).field("email", email).field("name", name).endObject();
    }

    private static void tag(JsonWriter w, String name) {
        Long id = TAG_IDS.get(name);
        if (id == null) {
            throw new IllegalStateException("no Gorgias tag id for " + name);
        }
        w.beginObject().field("id", id).field("name", name).field("uri", "/api/tags/" + id + "/")
                .nullField("decoration").endObject();
    }

    /** When the survey of a closed ticket went out; {@link #hasSurvey} says whether it did before the cut. */
    static long surveySentAt(SimTicket t) {
        return t.solvedAt() + SURVEY_DELAY;
    }

    /** Surveys go out for closed tickets whose rating was offered (answered or not), once sent before the cut. */
    static boolean hasSurvey(SimTicket t, long cut) {
        return t.csat() != SimTicket.Csat.UNOFFERED && t.solvedAt() < cut && surveySentAt(t) < cut;
    }

    /**
     * The survey's 1-5 score, null while unanswered at the cut. Good ratings are 4 or 5, bad ones 1 to 3 (SPEC §5:
     * 4 and above is satisfied); which exact score is a function of the ticket id, so no random draw of the
     * simulation is spent on it.
     */
    static Integer score(SimTicket t, long cut) {
        boolean rated = (t.csat() == SimTicket.Csat.GOOD || t.csat() == SimTicket.Csat.BAD) && t.ratedAt() < cut;
        if (!rated) {
            return null;
        }
        long h = Math.floorMod(Rng.mix(t.id(), 0x5C0E), 100L);
        if (t.csat() == SimTicket.Csat.GOOD) {
            return h < 70 ? 5 : 4;
        }
        return h < 50 ? 1 : h < 80 ? 2 : 3;
    }

    static void survey(JsonWriter w, SimTicket t, CustomerProfile c, long cut) {
        long id = Ids.gorgiasSurvey(t.id());
        long sent = surveySentAt(t);
        Integer score = score(t, cut);
        w.beginObject();
        w.field("id", id);
        w.field("uri", "/api/satisfaction-surveys/" + id + "/");
        w.field("ticket_id", Ids.gorgiasTicket(t.id()));
        w.field("customer_id", Ids.gorgiasCustomer(c.index()));
        w.name("score");
        if (score == null) {
            w.nullValue();
        } else {
            w.value(score);
        }
        w.field("body_text", score == null ? null : score >= 4 ? "Great service, thank you!" : "Not happy with this.");
        w.utcOffsetField("created_datetime", sent);
        w.utcOffsetField("should_send_datetime", sent);
        w.utcOffsetField("sent_datetime", sent);
        w.utcOffsetFieldOrNull("scored_datetime", score != null, t.ratedAt());
        w.nullField("meta");
        w.endObject();
    }
}

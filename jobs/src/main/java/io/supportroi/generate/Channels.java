package io.supportroi.generate;

/**
 * The raw Zendesk {@code via.channel} values the generator emits, the normalised channel each maps to under the
 * default channel mapping (SPEC §3), how often customers use it, and how it shapes handling times: chat and phone are
 * answered and closed in minutes, email and web forms wait for hours.
 */
final class Channels {
    private Channels() {}

    static final String[] RAW = {"email", "web", "chat", "native_messaging", "voice", "twitter", "facebook", "sms"};
    static final String[] NORMALISED = {"email", "web", "chat", "chat", "phone", "social", "social", "sms"};
    /** Share of customer-initiated tickets per raw channel. */
    static final double[] WEIGHTS = {0.36, 0.12, 0.12, 0.10, 0.12, 0.04, 0.06, 0.08};
    /** Multiplier on the resolution time of a typical ticket (median 6 h before agent and channel). */
    static final double[] RESOLUTION_FACTOR = {1.5, 1.3, 0.35, 0.45, 0.4, 1.0, 1.0, 0.7};
    /** Median minutes to the first agent reply. */
    static final double[] REPLY_MEDIAN_MINUTES = {150, 120, 1.5, 3, 0.5, 40, 50, 15};
    static final int EMAIL = 0;

    static String raw(int channel) {
        return RAW[channel];
    }

    static String normalised(int channel) {
        return NORMALISED[channel];
    }
}

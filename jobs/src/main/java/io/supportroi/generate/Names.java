package io.supportroi.generate;

import java.text.Normalizer;

/**
 * Name pools for customers and agents. Customer names include apostrophes, hyphens and accents so that every writer's
 * escaping is exercised; their email local parts are folded to plain lower-case ASCII once, here, because the
 * sources must agree on a clean email.
 */
final class Names {
    private Names() {}

    static final String[] FIRST = {
            "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Charlotte", "James",
            "Mia", "Lucas", "Harper", "Mateo", "Evelyn", "Benjamin", "Aria", "Henry", "Chloé", "José",
            "Zoë", "Siobhán", "Renée", "Björn", "Aisha", "Wei", "Priya", "Kenji", "Fatima", "Dmitri",
            "Nora", "Caleb", "Leah", "Isaac", "Maya", "Owen", "Grace", "Samuel", "Lucía", "Mohammed",
            "Hannah", "Ethan", "Ines", "Diego", "Anika", "Tomás", "Freya", "Kwame", "Yuki", "Sven",
            "Camila", "Arjun", "Elena", "Jonah", "Ruth", "Malik", "Ingrid", "Pedro", "Mei", "Aidan"};

    static final String[] LAST = {
            "Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Rodríguez", "Martinez",
            "Hernández", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "O'Brien", "O'Neill", "Smith-Jones", "Nguyen", "Kim", "Patel", "Müller", "Novák", "Kowalski", "Rossi",
            "Dubois", "Jensen", "Okafor", "Haddad", "Tanaka", "Ivanova", "Silva", "Cohen", "McDonald", "Fitzgerald",
            "Park", "Chen", "Singh", "Walsh", "Bianchi", "Larsen", "Mensah", "Costa", "Yilmaz", "D'Angelo"};

    static final String[] FIRST_FOLDED = fold(FIRST);
    static final String[] LAST_FOLDED = fold(LAST);

    /** Where customers get their mail; weights favour the big providers, as a consumer shop sees. */
    static final String[] DOMAINS = {
            "gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "proton.me", "aol.com",
            "comcast.net", "fastmail.com", "example.com"};
    static final double[] DOMAIN_WEIGHTS = {0.42, 0.12, 0.10, 0.10, 0.06, 0.04, 0.04, 0.05, 0.03, 0.04};

    /** Agents' names: a fixed, seed-independent list so that an effects file can name agents across seeds. */
    static final String[] AGENT_FIRST = {
            "Ava", "Marcus", "Priya", "Daniel", "Sofia", "Jamal", "Hannah", "Luis", "Grace", "Tyler",
            "Nadia", "Ethan", "Chloe", "Omar", "Julia", "Kevin", "Leila", "Ryan", "Mei", "Andre",
            "Rosa", "Victor", "Tessa", "Hugo", "Alice", "Brandon", "Elena", "Felix", "Irene", "Jonas",
            "Kira", "Leo", "Mara", "Nico", "Paula", "Quinn", "Rita", "Sam", "Tara", "Umar"};
    static final String[] AGENT_LAST = {
            "Bennett", "Reyes", "Shah", "Kim", "Rossi", "Carter", "Vogel", "Ortega", "Nakamura", "Brooks",
            "Haddad", "Lindqvist", "Moreau", "Adeyemi", "Novak", "Chen", "Farah", "Doyle", "Ito", "Baptiste",
            "Silva", "Petrov", "Quinn", "Laurent", "Walsh", "Mendes", "Kaur", "Fischer", "Ramos", "Berg",
            "Okoro", "Hayes", "Sato", "Duarte", "Ivanov", "Meyer", "Costa", "Lambert", "Park", "Young"};

    static String agentFirst(int agent) {
        return AGENT_FIRST[agent % AGENT_FIRST.length];
    }

    /**
     * The last name walks the list at a different pace than the first name, so (first, last) pairs are distinct for
     * the first 40 x 40 agents; beyond that the email gets a number.
     */
    static String agentLast(int agent) {
        int n = AGENT_LAST.length;
        return AGENT_LAST[(agent / AGENT_FIRST.length + agent) % n];
    }

    private static String[] fold(String[] names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = foldToAscii(names[i]);
        }
        return out;
    }

    /** "Siobhán O'Brien" -> "siobhan", "obrien": accents dropped, anything but a-z removed. */
    static String foldToAscii(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = Character.toLowerCase(decomposed.charAt(i));
            if (c >= 'a' && c <= 'z') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

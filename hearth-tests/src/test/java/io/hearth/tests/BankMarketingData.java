package io.hearth.tests;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A synthetic table shaped like UCI's bank marketing data (did a client subscribe a term deposit after
 * a phone campaign?), generated from a seed: the same seed and size give the same bytes.
 *
 * <p>Columns, as in the UCI file: {@code age, job, marital, education, default, balance, housing, loan,
 * contact, day, month} ({@code jan ... dec}){@code , duration, campaign, pdays} (-1 when never contacted
 * before){@code , previous, poutcome, y} ({@code yes} / {@code no}). About 3% of {@code age} and 5% of
 * {@code balance} are missing (empty fields). About one client in twelve says yes; the odds of a yes are
 * a logistic function of a few columns plus noise: a longer call, a previous campaign's success,
 * spring and autumn months ({@code mar, sep, oct, dec}), students and retirees, a cellular contact and
 * a higher balance raise them; a housing loan, many calls this campaign and an unknown contact lower
 * them. {@link #bayesAuc} is the AUC of the true odds on a generated table: no model can do better
 * on average, so it bounds what a test may expect.
 */
final class BankMarketingData {
    static final String HEADER = "age,job,marital,education,default,balance,housing,loan,contact,day,month,duration,campaign,pdays,previous,poutcome,y";

    static final String[] JOBS = {"admin.", "blue-collar", "entrepreneur", "housemaid", "management", "retired", "self-employed", "services",
        "student", "technician", "unemployed", "unknown"};
    private static final double[] JOB_WEIGHTS = {11, 22, 3, 3, 21, 5, 3.5, 9, 2, 17, 3, 0.5};
    static final String[] MARITAL = {"married", "single", "divorced"};
    private static final double[] MARITAL_WEIGHTS = {60, 28, 12};
    static final String[] EDUCATION = {"primary", "secondary", "tertiary", "unknown"};
    private static final double[] EDUCATION_WEIGHTS = {15, 51, 30, 4};
    static final String[] CONTACT = {"cellular", "telephone", "unknown"};
    private static final double[] CONTACT_WEIGHTS = {65, 6, 29};
    static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final double[] MONTH_WEIGHTS = {3, 6, 1, 6.5, 30, 12, 15, 14, 1.3, 1.6, 9, 0.6};
    static final String[] POUTCOME = {"unknown", "failure", "other", "success"};

    private BankMarketingData() {}

    /** {@code rows} rows after a header, as CSV text. */
    static String csv(int rows, long seed) {
        StringBuilder out = new StringBuilder(rows * 96).append(HEADER).append('\n');
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < rows; i++) {
            Client client = Client.draw(random);
            out.append(client.line()).append('\n');
        }
        return out.toString();
    }

    static byte[] bytes(int rows, long seed) {
        return csv(rows, seed).getBytes(StandardCharsets.UTF_8);
    }

    /** The AUC of the generator's own probabilities of a yes, on the table {@code csv(rows, seed)} would make. */
    static double bayesAuc(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] scores = new double[rows];
        boolean[] positive = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            Client client = Client.draw(random);
            scores[i] = client.probability;
            positive[i] = client.yes;
        }
        return auc(scores, positive);
    }

    /** The probability that a random positive outscores a random negative (ties count half). */
    static double auc(double[] scores, boolean[] positive) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private record Client(Integer age, String job, String marital, String education, String defaulted, Integer balance, String housing, String loan,
            String contact, int day, int month, int duration, int campaign, int pdays, int previous, String poutcome, double probability, boolean yes) {

        static Client draw(SplittableRandom random) {
            String job = pick(JOBS, JOB_WEIGHTS, random);
            int age = switch (job) {
                case "student" -> 18 + random.nextInt(12);
                case "retired" -> 55 + random.nextInt(35);
                default -> 23 + (int) Math.min(40, Math.abs(gaussian(random) * 10 + 17));
            };
            String marital = age < 25 ? (random.nextDouble() < 0.8 ? "single" : "married") : pick(MARITAL, MARITAL_WEIGHTS, random);
            String education = pick(EDUCATION, EDUCATION_WEIGHTS, random);
            String defaulted = random.nextDouble() < 0.02 ? "yes" : "no";
            int balance = (int) Math.round(Math.exp(gaussian(random) * 1.2 + 6.5) - 300);
            String housing = random.nextDouble() < (age > 60 ? 0.2 : 0.56) ? "yes" : "no";
            String loan = random.nextDouble() < 0.16 ? "yes" : "no";
            String contact = pick(CONTACT, CONTACT_WEIGHTS, random);
            int month = index(MONTH_WEIGHTS, random);
            int day = 1 + random.nextInt(28);
            int duration = (int) Math.round(Math.exp(gaussian(random) * 0.8 + 5.2));
            int campaign = 1 + (int) Math.floor(-Math.log(1 - random.nextDouble()) * 1.8);
            boolean contactedBefore = random.nextDouble() < 0.18;
            int pdays = contactedBefore ? 30 + random.nextInt(400) : -1;
            int previous = contactedBefore ? 1 + random.nextInt(5) : 0;
            String poutcome = contactedBefore ? POUTCOME[1 + index(new double[] {55, 20, 25}, random)] : "unknown";

            double logit = -3.3
                    + 1.6 * (Math.log(duration) - 5.2)
                    + (poutcome.equals("success") ? 2.2 : 0)
                    + (month == 2 || month == 8 || month == 9 || month == 11 ? 1.5 : 0)
                    + 0.05 * (month + 1)
                    + (job.equals("student") || job.equals("retired") ? 0.7 : 0)
                    + (contact.equals("cellular") ? 0.3 : contact.equals("unknown") ? -0.9 : 0)
                    + (housing.equals("yes") ? -0.6 : 0)
                    + (loan.equals("yes") ? -0.3 : 0)
                    - 0.12 * (campaign - 1)
                    + 0.00012 * balance
                    + gaussian(random) * 0.3;
            double probability = 1 / (1 + Math.exp(-logit));
            boolean yes = random.nextDouble() < probability;
            Integer keptAge = random.nextDouble() < 0.03 ? null : age;
            Integer keptBalance = random.nextDouble() < 0.05 ? null : balance;
            return new Client(keptAge, job, marital, education, defaulted, keptBalance, housing, loan, contact, day, month, duration, campaign, pdays, previous,
                    poutcome, probability, yes);
        }

        String line() {
            return String.join(",", age == null ? "" : Integer.toString(age), job, marital, education, defaulted, balance == null ? "" : Integer.toString(balance),
                    housing, loan, contact, Integer.toString(day), MONTHS[month], Integer.toString(duration), Integer.toString(campaign),
                    Integer.toString(pdays), Integer.toString(previous), poutcome, yes ? "yes" : "no");
        }
    }

    private static String pick(String[] values, double[] weights, SplittableRandom random) {
        return values[index(weights, random)];
    }

    private static int index(double[] weights, SplittableRandom random) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double at = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            at -= weights[i];
            if (at < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** A standard normal draw (Box-Muller), so the sequence depends on nothing but the seed. */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

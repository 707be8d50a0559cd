package org.snakemq.reliability;

import java.util.BitSet;
import java.util.List;

/**
 * What arrived from one sender, by sequence number 0..expected-1: how many distinct, lost,
 * duplicated, and how often the order went backwards (a backwards step to an already delivered
 * number is a duplicate, to a new one an order violation).
 */
record Tally(int expected, int received, int distinct, int lost, int duplicated, int outOfOrder) {

    static Tally of(List<Integer> sequences, int expected) {
        BitSet seen = new BitSet(expected);
        int duplicated = 0;
        int outOfOrder = 0;
        int highest = -1;
        for (int sequence : sequences) {
            if (seen.get(sequence)) {
                duplicated++;
                continue;
            }
            seen.set(sequence);
            if (sequence < highest) {
                outOfOrder++;
            }
            highest = Math.max(highest, sequence);
        }
        int distinct = seen.cardinality();
        int lost = expected - seen.get(0, expected).cardinality();
        return new Tally(expected, sequences.size(), distinct, lost, duplicated, outOfOrder);
    }

    /** Sequence numbers from texts like {@code "bob:42"}. */
    static Tally ofTexts(List<String> texts, int expected) {
        return of(texts.stream().map(t -> Integer.parseInt(t.substring(t.indexOf(':') + 1))).toList(), expected);
    }

    Tally plus(Tally other) {
        return new Tally(expected + other.expected, received + other.received, distinct + other.distinct,
                lost + other.lost, duplicated + other.duplicated, outOfOrder + other.outOfOrder);
    }

    @Override
    public String toString() {
        return "sent " + expected + ", received " + received + ", lost " + lost + ", duplicated " + duplicated
                + ", out of order " + outOfOrder;
    }
}

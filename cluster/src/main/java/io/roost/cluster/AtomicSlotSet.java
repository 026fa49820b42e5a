package io.roost.cluster;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;

/**
 * A set of hash slots that several threads read and change: {@link SlotSet}'s layout, each word
 * updated atomically (a change of many slots is atomic per word of 64 slots, not as a whole).
 */
final class AtomicSlotSet {
  private final AtomicLongArray words = new AtomicLongArray(SlotSet.WORDS);

  boolean contains(int slot) {
    return (words.get(slot >>> 6) & (1L << slot)) != 0;
  }

  /** Adds ({@code on}) or removes {@code slot}. */
  void set(int slot, boolean on) {
    update(slot >>> 6, 1L << slot, on);
  }

  /** Adds ({@code on}) or removes every slot of {@code slots} (a {@link SlotSet}). */
  void setAll(long[] slots, boolean on) {
    for (int word = 0; word < slots.length; word++) {
      if (slots[word] != 0) {
        update(word, slots[word], on);
      }
    }
  }

  /** How many slots of the set {@code filter} accepts. */
  int count(IntPredicate filter) {
    int n = 0;
    for (int word = 0; word < SlotSet.WORDS; word++) {
      long bits = words.get(word);
      while (bits != 0) {
        if (filter.test((word << 6) + Long.numberOfTrailingZeros(bits))) {
          n++;
        }
        bits &= bits - 1;
      }
    }
    return n;
  }

  private void update(int word, long bits, boolean on) {
    words.getAndUpdate(word, v -> on ? v | bits : v & ~bits);
  }
}

package io.roost.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz target: arbitrary bytes in arbitrary splits. The decoder must throw nothing but
 * {@link RespProtocolException}, never loop (the harness bounds decode calls), produce well-formed
 * frames (the harness checks bounds), and reach the same outcome however the bytes are split.
 *
 * <p>Without {@code JAZZER_FUZZ=1} this runs in regression mode over the seeds in {@code
 * src/test/resources/io/roost/protocol/RespDecoderFuzzTestInputs/decode}; with it, it fuzzes for at
 * most {@code maxDuration}.
 */
class RespDecoderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decode(FuzzedDataProvider data) {
    boolean authenticated = data.consumeBoolean();
    int maxInline = data.consumeInt(1, 128);
    int maxBulk = data.consumeInt(1, 1 << 20);
    int cutCount = data.consumeInt(0, 8);
    int[] cuts = new int[cutCount];
    for (int i = 0; i < cutCount; i++) {
      cuts[i] = data.consumeInt(0, 4096);
    }
    Arrays.sort(cuts);
    byte[] input = data.consumeRemainingAsBytes();

    RespLimits limits = new RespLimits(maxInline, maxBulk, 1L << 30);
    RespDecoder whole = new RespDecoder(limits);
    whole.authenticated(authenticated);
    RespDecoder split = new RespDecoder(limits);
    split.authenticated(authenticated);
    DecodeHarness.Result expected = DecodeHarness.decode(whole, List.of(input));
    List<byte[]> chunks = new ArrayList<>(DecodeHarness.chunks(input, cuts));
    DecodeHarness.Result actual = DecodeHarness.decode(split, chunks);
    assertEquals(expected, actual);
  }
}

package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private static final Address A = new UUID(0, 1);
  private static final Address B = new UUID(0, 2);
  private static final Address C = new UUID(0, 3);
  private static final Address D = new UUID(0, 4);

  @Test
  void majorityIsStrictlyMoreThanHalfOfTheStableView() {
    final View abc = View.create(A, 1, A, B, C);
    assertTrue(Membership.holdsMajority(View.create(A, 2, A, B), abc));
    assertFalse(Membership.holdsMajority(View.create(C, 2, C), abc));
    assertTrue(Membership.holdsMajority(View.create(A, 2, A, B, C, D), abc));
    final View abcd = View.create(A, 1, A, B, C, D);
    assertFalse(Membership.holdsMajority(View.create(A, 2, A, B), abcd), "2 of 4 is no majority");
    assertFalse(Membership.holdsMajority(View.create(C, 2, C, D), abcd));
    // Joiners do not count: only members of the stable view do.
    assertFalse(
        Membership.holdsMajority(View.create(C, 2, C, new UUID(0, 9), new UUID(0, 8)), abc));
  }
}

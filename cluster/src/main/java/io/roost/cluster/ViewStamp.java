package io.roost.cluster;

import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.util.UUID;

/**
 * Identity of a view on the wire: the JGroups view id and its creator's UUID. After a partition
 * both sides may reach the same numeric id; the creator tells them apart.
 *
 * @param id the view's numeric id (grows by one per view in a lineage)
 * @param creatorHi most significant bits of the creator's UUID (0 when not a UUID)
 * @param creatorLo least significant bits of the creator's UUID (0 when not a UUID)
 */
public record ViewStamp(long id, long creatorHi, long creatorLo) {
  /** The stamp of {@code view}. */
  public static ViewStamp of(View view) {
    final Address creator = view.getCreator();
    if (creator instanceof UUID uuid) {
      return new ViewStamp(
          view.getViewId().getId(), uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }
    return new ViewStamp(view.getViewId().getId(), 0, 0);
  }
}

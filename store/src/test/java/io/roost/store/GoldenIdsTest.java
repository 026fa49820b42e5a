package io.roost.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Ids that cross the wire or live in records are frozen: append, never renumber. */
class GoldenIdsTest {
  @Test
  void keyspaceEventIds() {
    assertEquals(
        "0=new,1=set,2=del,3=expire,4=expired,5=evicted,6=rename_from,7=rename_to,8=hset,9=hdel,"
            + "10=hincrby,11=hincrbyfloat,12=hexpire,13=hexpired,14=hpersist,15=incrby,"
            + "16=incrbyfloat,17=append,18=setrange,19=persist,20=move_from,21=move_to,22=copy_to",
        Arrays.stream(KeyspaceEvent.values())
            .map(e -> e.id + "=" + e.redisName())
            .collect(Collectors.joining(",")));
  }

  @Test
  void typeAndEncodingTags() {
    assertEquals(
        "0=none,1=string,2=list,3=set,4=zset,5=hash,6=stream",
        Arrays.stream(ValueType.values())
            .map(e -> e.id + "=" + e.redisName())
            .collect(Collectors.joining(",")));
    assertEquals(
        "0=int,1=embstr,2=raw,3=listpack,4=listpackex,5=hashtable,6=quicklist,7=intset,8=skiplist,"
            + "9=stream",
        Arrays.stream(Encoding.values())
            .map(e -> e.id + "=" + e.redisName())
            .collect(Collectors.joining(",")));
  }

  @Test
  void effectOps() {
    assertEquals(0, EffectDescriptor.RESERVED_RECORD);
    assertEquals(1, EffectDescriptor.SET);
    assertEquals(2, EffectDescriptor.DEL);
    assertEquals(3, EffectDescriptor.PEXPIREAT);
    assertEquals(4, EffectDescriptor.PERSIST);
    assertEquals(5, EffectDescriptor.HSET);
    assertEquals(6, EffectDescriptor.HDEL);
    assertEquals(7, EffectDescriptor.HPEXPIREAT);
    assertEquals(8, EffectDescriptor.HPERSIST);
    assertEquals(9, EffectDescriptor.RENAME);
    assertEquals(10, EffectDescriptor.MOVE);
    assertEquals(11, EffectDescriptor.COPY);
    assertEquals(12, EffectDescriptor.FLUSHDB);
    assertEquals(13, EffectDescriptor.FLUSHALL);
    assertEquals(14, EffectDescriptor.SWAPDB);
    assertEquals(15, EffectDescriptor.RESTORE);
    assertEquals(32, RecordDescriptor.HEADER_LENGTH);
    assertEquals(16, HashDescriptor.HEADER_LENGTH);
    assertEquals(32, HashTableDescriptor.HEADER_LENGTH);
    assertEquals(8, HashTableDescriptor.SLOT_LENGTH);
  }
}

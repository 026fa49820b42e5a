package io.roost.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.roost.cluster.ClusterContext;
import io.roost.cluster.ClusterNode;
import io.roost.cluster.ReplicationMessages;
import io.roost.server.command.CommandTable;
import io.roost.server.command.Commands;
import io.roost.server.config.Settings;
import io.roost.server.net.Client;
import io.roost.server.net.ConnectionHandler;
import io.roost.server.net.ForwardedCommands;
import io.roost.server.pubsub.KeyspaceNotifier;
import io.roost.server.pubsub.PubSubFanOut;
import io.roost.server.pubsub.PubSubHub;
import io.roost.store.EffectSink;
import io.roost.store.Store;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the Netty front end over the {@link Server} services. Started and stopped by one
 * thread (Main or a test); the event loops do everything else.
 *
 * <p>Native epoll is used where it loads, NIO elsewhere. Stopping closes the listening sockets
 * first; a clustered node then hands its slots off to the other members (its clients' commands go
 * to the new primaries meanwhile). Each connection stops reading, finishes the commands it read and
 * flushes their replies, then closes; the node leaves the cluster and the event loops stop.
 */
public final class RoostServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoostServer.class);

  /** Longest a stopping node waits for its slots to be handed off. */
  static final long HANDOFF_TIMEOUT_MS = 15_000;

  /** Longest a stopping node waits for its connections to finish what they read. */
  static final long DRAIN_TIMEOUT_MS = 5_000;

  private final Server server;
  private final Store store;
  private final Stores.LateEffectSink effects = new Stores.LateEffectSink();
  private ClusterNode cluster;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final List<Channel> listeners = new ArrayList<>();
  private final boolean epoll;
  private ScheduledFuture<?> cron;

  public RoostServer(Settings settings) {
    CommandTable table = Commands.table();
    PubSubHub pubsub = new PubSubHub();
    KeyspaceNotifier notifier =
        new KeyspaceNotifier(
            pubsub, settings.databases, KeyspaceNotifier.parse(settings.notifyKeyspaceEvents));
    this.store =
        Stores.create(settings, settings.clusterEnabled ? effects : EffectSink.NONE, notifier);
    this.server = new Server(settings, table, store, pubsub, notifier);
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    int threads =
        settings.ioThreads > 0 ? settings.ioThreads : Runtime.getRuntime().availableProcessors();
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, io);
    this.workerGroup = new MultiThreadIoEventLoopGroup(threads, io);
  }

  public Server server() {
    return server;
  }

  /** Binds every address of {@code bind} on {@code port}; returns the port actually bound. */
  public int start() throws InterruptedException {
    Settings s = server.settings();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, s.tcpBacklog)
            .option(ChannelOption.SO_REUSEADDR, true)
            // A clustered node accepts clients only once it has joined: until then connections
            // wait in the backlog, so no command ever runs outside the cluster.
            .option(ChannelOption.AUTO_READ, !s.clusterEnabled)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, s.tcpKeepaliveSeconds > 0)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new ConnectionHandler(server));
                  }
                });
    int port = s.port;
    for (String host : s.bind) {
      String h = host.startsWith("-") ? host.substring(1) : host;
      Channel ch = b.bind(new InetSocketAddress(h, port)).sync().channel();
      listeners.add(ch);
      port = ((InetSocketAddress) ch.localAddress()).getPort();
    }
    server.boundPort(port);
    if (s.clusterEnabled) {
      joinCluster(s, port);
      for (Channel ch : listeners) {
        ch.config().setAutoRead(true);
      }
    }
    long periodMs = Math.max(1, 1000 / Math.max(1, s.hz));
    cron = bossGroup.scheduleAtFixedRate(this::cron, periodMs, periodMs, TimeUnit.MILLISECONDS);
    LOG.info(
        "Roost {} (Redis {} compatible) listening on {} port {} with {} transport and {} event"
            + " loops",
        Version.ROOST,
        Version.REDIS_COMPAT,
        String.join(" ", s.bind),
        port,
        epoll ? "epoll" : "nio",
        threads());
    return port;
  }

  /** Joins the cluster once the client port is known, before the node is announced ready. */
  private void joinCluster(Settings s, int port) {
    String endpoint = s.clusterAnnounce.isEmpty() ? s.bind[0] + ":" + port : s.clusterAnnounce;
    ForwardedCommands executor = new ForwardedCommands(server, workerGroup);
    ClusterContext context = Stores.clusterContext(s);
    if (!context.peerEncryption() && !isLoopback(s.clusterBind)) {
      LOG.warn(
          "cluster-bind {} is not a loopback address and no cluster-secret is set: whoever reaches"
              + " port {} can join the cluster, read its traffic and run commands",
          s.clusterBind,
          s.clusterPort);
    }
    cluster = new ClusterNode(context, endpoint, executor);
    effects.target(cluster.effectSink());
    // Pub/sub: what another member published is delivered here only; what is published here
    // (PUBLISH, SPUBLISH, keyspace events) goes to every other member once.
    PubSubHub hub = server.pubsub();
    cluster.publishListener(
        (kind, channel, message) -> {
          if (kind == ReplicationMessages.PUBLISH_SHARD) {
            hub.publishShardLocal(channel, message);
          } else {
            hub.publishLocal(channel, message);
          }
        });
    ClusterNode node = cluster;
    hub.fanOut(
        new PubSubFanOut() {
          @Override
          public void publish(byte[] channel, byte[] message) {
            node.publish(ReplicationMessages.PUBLISH_CHANNEL, channel, message);
          }

          @Override
          public void publishShard(byte[] shardChannel, byte[] message) {
            node.publish(ReplicationMessages.PUBLISH_SHARD, shardChannel, message);
          }
        });
    // A key's events are announced by its primary alone: backups apply the same effects.
    server.keyspaceNotifier().announceOnly(node::isPrimary);
    try {
      cluster.start(store);
    } catch (Exception e) {
      throw new IllegalStateException("cannot join cluster " + s.clusterName + ": " + e, e);
    }
    server.cluster(cluster, executor);
    // Only a slot's primary expires and evicts; it replicates the deletions to the backups.
    store.activeSlots(cluster::isPrimary);
    LOG.info(
        "joined cluster {} as {} with peers on {}:{} stack={} peer traffic {}",
        s.clusterName,
        cluster.myId(),
        s.clusterBind,
        s.clusterPort,
        s.clusterConfig.isEmpty() ? "built-in" : s.clusterConfig,
        context.peerEncryption() ? "authenticated and encrypted" : "in clear (no cluster-secret)");
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private int threads() {
    int n = 0;
    for (var ignored : workerGroup) {
      n++;
    }
    return n;
  }

  /** Background work at {@code hz}: active expiry and idle-client timeouts. */
  private void cron() {
    try {
      store.tickAll(store.clock().epochMs());
    } catch (RuntimeException e) {
      LOG.error("active expiry failed", e);
    }
    int timeout = server.settings().timeoutSeconds;
    if (timeout > 0) {
      long now = System.currentTimeMillis();
      for (Client c : server.clients().values()) {
        if (!c.monitor && now - c.lastInteractionMs > timeout * 1000L) {
          c.channel().close();
        }
      }
    }
  }

  public boolean epoll() {
    return epoll;
  }

  /** Graceful stop: no new connections, in-flight commands finish, replies are flushed. */
  @Override
  public void close() {
    if (cron != null) {
      cron.cancel(false);
    }
    for (Channel ch : listeners) {
      ch.close().syncUninterruptibly();
    }
    if (cluster != null) {
      cluster.handOffAndLeave(HANDOFF_TIMEOUT_MS);
    }
    List<io.netty.channel.ChannelFuture> closed = new ArrayList<>();
    for (Client c : server.clients().values()) {
      Channel ch = c.channel();
      ConnectionHandler handler = ch.pipeline().get(ConnectionHandler.class);
      if (handler != null) {
        handler.closeWhenDone();
      } else {
        ch.eventLoop().execute(() -> ch.flush().close());
      }
      closed.add(ch.closeFuture());
    }
    long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
    for (io.netty.channel.ChannelFuture f : closed) {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
      if (leftMs <= 0 || !f.awaitUninterruptibly(leftMs)) {
        break;
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    for (Client c : server.clients().values()) {
      Channel ch = c.channel();
      ch.eventLoop().execute(() -> ch.flush().close());
    }
    workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    store.close();
    LOG.info("Roost stopped");
  }
}

package io.roost.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.crypto.spec.SecretKeySpec;
import org.jgroups.JChannel;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.conf.XmlConfigurator;
import org.jgroups.protocols.Encrypt;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.SERIALIZE;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TP;
import org.jgroups.stack.DiagnosticsHandler;
import org.jgroups.stack.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link JChannel} from an XML stack whose {@code ${name}} and {@code ${name:default}}
 * placeholders are resolved from a {@link Properties} object — never from system properties, so two
 * nodes in one JVM can use different addresses.
 *
 * <p>Implementation notes.
 *
 * <ul>
 *   <li><b>Stacks.</b> The built-in stack ({@link ClusterConfiguration#STACK_RESOURCE_DEFAULT})
 *       must resolve completely from {@link ClusterContext#stackProperties()}. A user-supplied file
 *       ({@code cluster-config}) gets the same values for its {@code ${roost.*}} placeholders;
 *       other placeholders are left to JGroups, which resolves them from system properties and
 *       environment variables (for example a DNS_PING query). Any failure names the file.
 *   <li><b>Peer secret.</b> With a secret, two JGroups protocols are added right above the
 *       transport, below discovery, failure detection and merging: SERIALIZE (the whole message,
 *       headers and addresses included, becomes the payload) over SYM_ENCRYPT (the payload is
 *       encrypted with {@link ClusterConfiguration#PEER_CIPHER}, an authenticated cipher, under the
 *       key derived from the secret, with a random nonce per message). A message that was not
 *       produced with the key fails authentication and is dropped before any protocol above reads
 *       it: a node without the secret can neither discover, join, merge, suspect nor send
 *       replication traffic. Only the transport's own header (cluster name) and SYM_ENCRYPT's
 *       header (key version, nonce) and GMS header type travel in clear; FD_SOCK2's liveness
 *       connections carry no data and are not encrypted. No AUTH token is used: JGroups 5.4 has no
 *       shared-secret token (only X509, Kerberos, address lists and regexes), and every message is
 *       already authenticated by the cipher.
 *   <li><b>Addresses.</b> FD_SOCK2 listens on all interfaces unless told otherwise; a stack that
 *       leaves its {@code bind_addr} unset gets the transport's, so a node listens only on {@code
 *       cluster-bind}. The diagnostics listener is off in the built-in stack; a user stack that
 *       turns it on is logged as a warning.
 * </ul>
 */
public final class JGroupsStack {
  private static final Logger LOG = LoggerFactory.getLogger(JGroupsStack.class);

  /** Prefix of the placeholders Roost resolves in a user-supplied stack file. */
  static final String ROOST_PLACEHOLDER_PREFIX = "roost.";

  private JGroupsStack() {}

  /** A channel over the stack in classpath {@code resource}, placeholders from {@code values}. */
  public static JChannel channel(String resource, Properties values) throws Exception {
    final String xml = resolve(read(resource), values);
    return new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A channel over the stack configured by {@code context}: the built-in stack or the user's file,
   * with the peer secret's protocols when a secret is set.
   *
   * @throws IllegalArgumentException naming the stack file and the reason when it is not usable
   */
  public static JChannel channel(ClusterContext context) throws Exception {
    final String file = context.stackFile();
    final boolean builtIn = file.isEmpty();
    final String source = builtIn ? ClusterConfiguration.STACK_RESOURCE_DEFAULT : file;
    try {
      final String xml =
          builtIn
              ? resolve(read(source), context.stackProperties())
              : resolve(context.stackXml(), context.stackProperties(), ROOST_PLACEHOLDER_PREFIX);
      final XmlConfigurator parsed;
      try (InputStream in = new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))) {
        parsed = XmlConfigurator.getInstance(in);
      }
      final byte[] key = context.peerKey();
      final List<ProtocolConfiguration> protocols = parsed.getProtocolStack();
      if (key != null) {
        addPeerSecurity(protocols);
      }
      final JChannel channel = new JChannel(new Configurator(parsed, key));
      if (!builtIn) {
        warnAboutDiagnostics(file, channel.getProtocolStack().getTransport());
      }
      return channel;
    } catch (Exception e) {
      if (builtIn) {
        throw e;
      }
      throw new IllegalArgumentException("cluster-config=" + file + ": " + reason(e), e);
    }
  }

  /**
   * Inserts SYM_ENCRYPT and SERIALIZE above the transport (index 0 of the bottom-up list); a stack
   * that already encrypts is refused rather than encrypted twice under two keys.
   */
  static void addPeerSecurity(List<ProtocolConfiguration> protocols) throws Exception {
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("the stack has no protocols");
    }
    for (ProtocolConfiguration protocol : protocols) {
      final Class<? extends Protocol> type = protocol.loadProtocolClass(JGroupsStack.class);
      if (Encrypt.class.isAssignableFrom(type) || SERIALIZE.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            "protocol="
                + protocol.getProtocolName()
                + " is already in the stack; cluster-secret adds SERIALIZE and SYM_ENCRYPT itself");
      }
    }
    protocols.add(1, new ProtocolConfiguration(SYM_ENCRYPT.class.getSimpleName(), Map.of()));
    protocols.add(2, new ProtocolConfiguration(SERIALIZE.class.getSimpleName(), Map.of()));
  }

  /** Replaces every placeholder; one without a value nor a default is an error. */
  static String resolve(String template, Properties values) {
    return resolve(template, values, "");
  }

  /**
   * Replaces the placeholders whose name starts with {@code prefix} ({@code ""}: all of them) and
   * leaves the others as they are; a replaced one without a value nor a default is an error.
   */
  static String resolve(String template, Properties values, String prefix) {
    final StringBuilder out = new StringBuilder(template.length());
    int from = 0;
    while (true) {
      final int open = template.indexOf("${", from);
      if (open < 0) {
        break;
      }
      final int close = template.indexOf('}', open + 2);
      if (close < 0) {
        throw new IllegalArgumentException("placeholder at offset=" + open + " is not closed");
      }
      out.append(template, from, open);
      final String body = template.substring(open + 2, close);
      final int colon = body.indexOf(':');
      final String name = colon < 0 ? body : body.substring(0, colon);
      if (!name.startsWith(prefix)) {
        out.append(template, open, close + 1);
        from = close + 1;
        continue;
      }
      String value = values.getProperty(name);
      if (value == null && colon >= 0) {
        value = body.substring(colon + 1);
      }
      if (value == null) {
        throw new IllegalArgumentException("placeholder=" + name + " has no value");
      }
      out.append(value);
      from = close + 1;
    }
    return out.append(template, from, template.length()).toString();
  }

  private static void warnAboutDiagnostics(String file, TP transport) {
    final DiagnosticsHandler diagnostics = transport.getDiagnosticsHandler();
    if (diagnostics != null && diagnostics.isEnabled()) {
      LOG.warn(
          "cluster-config={} enables the JGroups diagnostics listener (udp={} tcp={} port={}):"
              + " whoever reaches it can read and change the stack",
          file,
          diagnostics.udpEnabled(),
          diagnostics.tcpEnabled(),
          diagnostics.getPort());
    }
  }

  /** The exception's message chain, without stack traces, for a start-up error. */
  private static String reason(Throwable e) {
    final StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null && out.length() < 1_000; t = t.getCause()) {
      if (!out.isEmpty()) {
        out.append(": ");
      }
      out.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
      if (t.getCause() == t) {
        break;
      }
    }
    return out.toString();
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = JGroupsStack.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("resource=" + resource + " not found");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The parsed stack plus what cannot be written in XML: the peer key (SYM_ENCRYPT reads keys from
   * a keystore file otherwise) and FD_SOCK2's default bind address. JGroups calls {@link
   * #afterCreation} for each protocol, bottom up, after its attributes are set and before init.
   */
  private static final class Configurator implements ProtocolStackConfigurator {
    private final XmlConfigurator parsed;
    private final byte[] key;

    Configurator(XmlConfigurator parsed, byte[] key) {
      this.parsed = parsed;
      this.key = key;
    }

    @Override
    public String getProtocolStackString() {
      return parsed.getProtocolStackString();
    }

    @Override
    public List<ProtocolConfiguration> getProtocolStack() {
      return parsed.getProtocolStack();
    }

    @Override
    public void afterCreation(Protocol protocol) {
      if (protocol instanceof SYM_ENCRYPT encrypt) {
        // setSecretKey resets the algorithm to the key's ("ChaCha20", unauthenticated): set the
        // cipher after it.
        encrypt.setSecretKey(new SecretKeySpec(key, ClusterConfiguration.PEER_KEY_ALGORITHM));
        encrypt.symAlgorithm(ClusterConfiguration.PEER_CIPHER);
        encrypt.symIvLength(ClusterConfiguration.PEER_NONCE_BYTES);
      } else if (protocol instanceof FD_SOCK2 fd && fd.getBindAddress() == null) {
        final InetAddress transportAddress = protocol.getTransport().getBindAddr();
        if (transportAddress != null) {
          fd.setBindAddress(transportAddress);
        }
      }
    }
  }
}

package io.roost.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.jgroups.JChannel;

/**
 * Builds a {@link JChannel} from an XML stack template on the classpath whose {@code ${name}} and
 * {@code ${name:default}} placeholders are resolved from a {@link Properties} object — never from
 * system properties, so two nodes in one JVM can use different addresses.
 */
public final class JGroupsStack {
  private JGroupsStack() {}

  /** A channel over the stack in classpath {@code resource}, placeholders from {@code values}. */
  public static JChannel channel(String resource, Properties values) throws Exception {
    final String xml = resolve(read(resource), values);
    return new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** A channel over the production stack configured by {@code context}. */
  public static JChannel channel(ClusterContext context) throws Exception {
    return channel(ClusterConfiguration.STACK_RESOURCE_DEFAULT, context.stackProperties());
  }

  /** Replaces every placeholder; one without a value nor a default is an error. */
  static String resolve(String template, Properties values) {
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

  private static String read(String resource) throws IOException {
    try (InputStream in = JGroupsStack.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("resource=" + resource + " not found");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

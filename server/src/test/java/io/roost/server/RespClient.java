package io.roost.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw-socket RESP client for byte-exact assertions: sends bytes as given and reads one whole
 * reply at a time as its exact bytes (a Latin-1 String, one char per byte). Every read has a
 * deadline; nothing is parsed beyond finding where a reply ends. Owned by one test thread.
 */
public final class RespClient implements AutoCloseable {
  /** How long one reply may take before the test fails. */
  public static final int DEFAULT_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RespClient(String host, int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), DEFAULT_TIMEOUT_MS);
    socket.setSoTimeout(DEFAULT_TIMEOUT_MS);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  public Socket socket() {
    return socket;
  }

  /** Sets the deadline of each later read. */
  public RespClient timeoutMs(int ms) {
    try {
      socket.setSoTimeout(ms);
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Sends {@code raw} as Latin-1 bytes, unchanged. */
  public RespClient send(String raw) {
    return send(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RespClient send(byte[] raw) {
    try {
      out.write(raw);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code args} as one multibulk command. */
  public RespClient sendCommand(String... args) {
    return send(multibulk(args));
  }

  /** The multibulk encoding of {@code args}. */
  public static String multibulk(String... args) {
    StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
    for (String a : args) {
      sb.append('$')
          .append(a.getBytes(StandardCharsets.ISO_8859_1).length)
          .append("\r\n")
          .append(a)
          .append("\r\n");
    }
    return sb.toString();
  }

  /** Sends a multibulk command and returns its reply's exact bytes. */
  public String call(String... args) {
    sendCommand(args);
    return read();
  }

  /** Sends {@code line} followed by CRLF as an inline command and returns the reply. */
  public String inline(String line) {
    send(line + "\r\n");
    return read();
  }

  /**
   * Reads exactly one whole reply (aggregates included) and returns its bytes. Fails when the
   * deadline passes or the server closes first.
   */
  public String read() {
    try {
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      long pending = 1;
      while (pending > 0) {
        String line = readLine(reply);
        pending--;
        char type = line.charAt(0);
        long n =
            type == '+'
                    || type == '-'
                    || type == ':'
                    || type == '_'
                    || type == '#'
                    || type == ','
                    || type == '('
                ? 0
                : Long.parseLong(line.substring(1));
        switch (type) {
          case '$', '!', '=' -> {
            if (n >= 0) {
              readExactly(reply, n + 2);
            }
          }
          case '*', '~', '>' -> pending += Math.max(0, n);
          case '%' -> pending += 2 * n;
          case '|' -> pending += 2 * n + 1;
          default -> {}
        }
      }
      return reply.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads exactly {@code n} bytes. */
  public String readBytes(int n) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      readExactly(b, n);
      return b.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readLine(ByteArrayOutputStream reply) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    for (; ; ) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by server after: " + reply);
      }
      reply.write(b);
      if (prev == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      prev = b;
    }
  }

  private void readExactly(ByteArrayOutputStream reply, long n) throws IOException {
    for (long i = 0; i < n; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by server after: " + reply);
      }
      reply.write(b);
    }
  }

  /**
   * True when the server closes the connection (EOF or reset) before the deadline, after any bytes
   * still in flight; false when the deadline passes first.
   */
  public boolean awaitClosed() {
    try {
      for (int i = 0; i < 1 << 26; i++) {
        if (in.read() < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The payload of a bulk ({@code $}) or verbatim ({@code =}) string reply. */
  public static String payload(String reply) {
    int crlf = reply.indexOf("\r\n");
    String body = reply.substring(crlf + 2, reply.length() - 2);
    return reply.charAt(0) == '=' ? body.substring(4) : body;
  }

  /** {@code raw} with CR and LF escaped, for assertion messages. */
  public static String printable(String raw) {
    return raw.replace("\r", "\\r").replace("\n", "\\n");
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a test socket: nothing to do.
    }
  }
}

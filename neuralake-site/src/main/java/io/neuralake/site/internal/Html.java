package io.neuralake.site.internal;

/**
 * HTML built as text with every catalog string escaped: {@link #text} and attribute values go through
 * {@link #escape}, and only this module's own markup is written raw.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(4096);

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Markup of this module's own, never a catalog string. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  Html text(String s) {
    out.append(escape(s));
    return this;
  }

  /** {@code <tag attr="value"...>}: attributes as name, value pairs, values escaped. */
  Html open(String tag, String... attributes) {
    out.append('<').append(tag);
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
    }
    out.append('>');
    return this;
  }

  Html close(String tag) {
    out.append("</").append(tag).append('>');
    return this;
  }

  /** An element holding escaped text. */
  Html element(String tag, String text, String... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  /**
   * A link to {@code href} when it is an http(s) address, else the text alone: a catalog string never becomes a
   * {@code javascript:} link.
   */
  Html externalLink(String href, String text) {
    if (href.matches("(?i)https?://\\S+")) {
      return element("a", text, "href", href, "rel", "noopener noreferrer");
    }
    return text(text);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}

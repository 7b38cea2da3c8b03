package io.neuralake.site.internal;

/**
 * Whether pages are for a server's live site (previews, SQL console, plots, freshness through the server's API at
 * {@code api/}, relative to the site's root) and whether that server asks for a bearer token.
 */
public record Live(boolean on, boolean tokenRequired) {
  public static final Live OFF = new Live(false, false);

  public Live {
    if (tokenRequired && !on) {
      throw new IllegalArgumentException("only a live site can ask for a token");
    }
  }
}

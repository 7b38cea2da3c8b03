package io.neuralake.site.internal;

/**
 * What a live site answers, with status 401, in place of a page when the browser sent no valid token: the page's
 * frame with the token field, and no catalog content. Served at the address asked for, so once the token is given
 * the page reloads into the one wanted.
 */
public final class SignInPage {
  private SignInPage() {}

  /** {@code path} is the page asked for, relative to the site's root ({@code db/tpch/orders.html}). */
  public static String render(String catalogName, String path, String message) {
    Html h = new Html();
    h.element("h1", "Token needed").raw("<div class=\"banner problem\" role=\"alert\" id=\"signin-message\">")
        .text("The server refused this page (401 Unauthorized): " + message + ".").raw("</div>")
        .raw("<p>This catalog's server asks for a bearer token. Enter yours in the Token field at the top of the page;"
            + " it is kept for this browser tab only.</p>");
    return Layout.page(path, "Token needed", catalogName, new String[] {catalogName, "index.html", "Token needed", path},
        h.toString(), new Live(true, true));
  }
}

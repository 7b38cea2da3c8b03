package io.neuralake;

/**
 * What kind of failure an error is, and the one table that turns it into a CLI exit status, an
 * HTTP status and a SQLSTATE. Front ends choose their answer from the category (or the code's
 * SQLSTATE), never from the message.
 *
 * <table>
 *   <caption>Categories and what each front end answers</caption>
 *   <tr><th>category</th><th>exit</th><th>HTTP</th><th>SQLSTATE</th></tr>
 *   <tr><td>BAD_INPUT</td><td>2</td><td>400</td><td>22023</td></tr>
 *   <tr><td>NOT_FOUND</td><td>3</td><td>404</td><td>42704</td></tr>
 *   <tr><td>CONFLICT</td><td>4</td><td>409</td><td>40001</td></tr>
 *   <tr><td>CONSTRAINT_VIOLATED</td><td>5</td><td>422</td><td>23000</td></tr>
 *   <tr><td>STORAGE</td><td>6</td><td>503</td><td>58030</td></tr>
 *   <tr><td>CORRUPT_DATA</td><td>7</td><td>500</td><td>XX001</td></tr>
 *   <tr><td>RESOURCE_LIMIT</td><td>8</td><td>413</td><td>54000</td></tr>
 *   <tr><td>UNAUTHENTICATED</td><td>9</td><td>401</td><td>28000</td></tr>
 *   <tr><td>FORBIDDEN</td><td>10</td><td>403</td><td>42501</td></tr>
 *   <tr><td>OVERLOADED</td><td>11</td><td>429</td><td>53300</td></tr>
 *   <tr><td>CANCELLED</td><td>130</td><td>499</td><td>57014</td></tr>
 *   <tr><td>INTERNAL</td><td>1</td><td>500</td><td>XX000</td></tr>
 * </table>
 */
public enum ErrorCategory {
  /** The request is wrong: bad SQL, filter, argument, option or setting. Retrying it fails again. */
  BAD_INPUT(2, 400, "22023"),
  /** A catalog, database, table, column, version or object that does not exist. */
  NOT_FOUND(3, 404, "42704"),
  /** Another writer got there first (a commit lost its race); retry against the new state. */
  CONFLICT(4, 409, "40001"),
  /** The data breaks a rule of the table: its schema, a NOT NULL column, a check. */
  CONSTRAINT_VIOLATED(5, 422, "23000"),
  /** Storage or another outside service failed or refused (network, credentials, throttling). */
  STORAGE(6, 503, "58030"),
  /** Stored data or a table's log cannot be read as what it claims to be. */
  CORRUPT_DATA(7, 500, "XX001"),
  /** The work went over a limit: rows, time, memory, request size. */
  RESOURCE_LIMIT(8, 413, "54000"),
  /** No credentials, or wrong ones: a server's caller must say who they are. */
  UNAUTHENTICATED(9, 401, "28000"),
  /** The caller is known but may not do this (read that database). */
  FORBIDDEN(10, 403, "42501"),
  /** The server is at its bound of work running and waiting; retry later. */
  OVERLOADED(11, 429, "53300"),
  /** Someone cancelled the work. */
  CANCELLED(130, 499, "57014"),
  /** A defect in Neuralake or a library it uses. */
  INTERNAL(1, 500, "XX000");

  private final int exitCode;
  private final int httpStatus;
  private final String sqlState;

  ErrorCategory(int exitCode, int httpStatus, String sqlState) {
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
    this.sqlState = sqlState;
  }

  /** The {@code neuralake} command's exit status for errors of this category. */
  public int exitCode() {
    return exitCode;
  }

  /** The HTTP status a server answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The category's SQLSTATE; an {@link ErrorCode} may name a more precise one. */
  public String sqlState() {
    return sqlState;
  }

  /**
   * The category of any failure: that of the first {@link NeuralakeException} in its causes, or
   * {@link #INTERNAL} when none is.
   */
  public static ErrorCategory of(Throwable failure) {
    return ErrorCode.of(failure).category();
  }
}

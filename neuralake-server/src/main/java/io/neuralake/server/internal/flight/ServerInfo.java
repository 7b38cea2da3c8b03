package io.neuralake.server.internal.flight;

import io.neuralake.server.NeuralakeServer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlNullOrdering;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlSupportedTransaction;
import org.apache.arrow.vector.types.pojo.Schema;

/** What GetSqlInfo says about this server: its name and version, read-only, the SQL it speaks. */
final class ServerInfo {
  private ServerInfo() {}

  static SqlInfoBuilder of() {
    return new SqlInfoBuilder()
        .withFlightSqlServerName("Neuralake")
        .withFlightSqlServerVersion(version(NeuralakeServer.class))
        .withFlightSqlServerArrowVersion(version(Schema.class))
        .withFlightSqlServerReadOnly(true)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(false) // a client cancels by cancelling its stream
        .withSqlIdentifierQuoteChar("\"")
        .withSqlDdlCatalog(false)
        .withSqlDdlSchema(false)
        .withSqlTransactionsSupported(false)
        .withSqlAllTablesAreSelectable(true)
        .withSqlSupportsColumnAliasing(true)
        .withSqlNullOrdering(SqlNullOrdering.SQL_NULLS_SORTED_AT_END);
  }

  /** The version in a jar's manifest, or {@code dev} when running from classes (tests, an IDE). */
  private static String version(Class<?> inJar) {
    String v = inJar.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

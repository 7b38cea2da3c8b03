package io.neuralake.server;

import java.util.List;

/**
 * SQL that must never run on a server: reading or writing files outside what the planner hands
 * the engine, reaching the network, loading code, changing settings, or changing the database.
 * Every door's abuse test sends each of these and expects a refusal, and the server to go on serving.
 */
public final class SandboxEscapes {
  private SandboxEscapes() {}

  public static List<String> statements() {
    return List.of(
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv_auto('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/shadow')",
        "SELECT * FROM read_json('/etc/hosts')",
        "SELECT * FROM read_parquet('/etc/*.parquet')",
        "SELECT * FROM parquet_scan('../../../../etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM glob('/*')",
        "SELECT * FROM glob('/root/**')",
        "SELECT * FROM read_csv('file:///etc/passwd')",
        "SELECT * FROM read_csv('http://127.0.0.1:1/x.csv')",
        "SELECT * FROM read_parquet('s3://bucket/key.parquet')",
        "SELECT * FROM parquet_metadata('/etc/passwd')",
        "SELECT * FROM parquet_schema('/etc/passwd')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "COPY (SELECT 1) TO '/tmp/neuralake-escape.csv'",
        "COPY tpch.part TO '/tmp/neuralake-escape.parquet' (FORMAT parquet)",
        "EXPORT DATABASE '/tmp/neuralake-escape'",
        "IMPORT DATABASE '/tmp'",
        "ATTACH '/tmp/neuralake-escape.duckdb' AS x",
        "ATTACH ':memory:' AS x",
        "DETACH x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "INSTALL 'https://example.com/x.duckdb_extension'",
        "SET enable_external_access = true",
        "SET allowed_directories = ['/']",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "PRAGMA enable_profiling",
        "PRAGMA database_list",
        "CALL pragma_version()",
        "CREATE TABLE t AS SELECT 1",
        "CREATE VIEW v AS SELECT 1",
        "CREATE MACRO m(x) AS x",
        "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
        "CREATE SCHEMA s",
        "DROP TABLE tpch.part",
        "INSERT INTO tpch.part VALUES (1)",
        "UPDATE tpch.part SET p_name = 'x'",
        "DELETE FROM tpch.part",
        "ALTER TABLE tpch.part ADD COLUMN x INT",
        "VACUUM",
        "CHECKPOINT",
        "BEGIN TRANSACTION",
        "USE tpch",
        "SELECT 1; SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM tpch.part; DROP TABLE tpch.part",
        "WITH x AS (SELECT * FROM read_text('/etc/passwd')) SELECT * FROM x",
        "SELECT (SELECT content FROM read_text('/etc/passwd'))",
        "SELECT * FROM tpch.part WHERE p_name IN (SELECT content FROM read_text('/etc/passwd'))",
        "SELECT getenv('HOME')",
        "SELECT current_setting('temp_directory')",
        "SELECT * FROM duckdb_settings()",
        "SELECT * FROM duckdb_extensions()",
        "SELECT * FROM duckdb_secrets()",
        "SELECT * FROM read_text('/proc/self/environ')",
        "SELECT * FROM read_csv('/proc/self/cmdline')",
        "SELECT * FROM read_text('" + "../".repeat(12) + "etc/passwd')");
  }
}

package io.neuralake.site.internal.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PanelSqlTest {
  @Test
  void plainNamesStayBareAndOthersAreQuoted() {
    assertThat(PanelSql.identifier("implant_id")).isEqualTo("implant_id");
    assertThat(PanelSql.identifier("date")).isEqualTo("\"date\"");
    assertThat(PanelSql.identifier("Time")).isEqualTo("\"Time\"");
    assertThat(PanelSql.identifier("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(PanelSql.qualified("bci", "order")).isEqualTo("bci.\"order\"");
  }

  @Test
  void aTimeSeriesCountsRowsPerIntervalInTheDashboardsRange() {
    assertThat(PanelSql.rowsPerInterval("bci", "spikes", "ts", List.of("implant_id IN ($implant_id)")))
        .isEqualTo("""
            SELECT $__timeGroupAlias(ts, $__interval), count(*) AS "rows"
            FROM bci.spikes
            WHERE $__timeFilter(ts) AND implant_id IN ($implant_id)
            GROUP BY 1
            ORDER BY 1""");
  }

  @Test
  void aTablePanelShowsFirstRowsWithOrWithoutConditions() {
    assertThat(PanelSql.firstRows("tpch", "part", List.of())).isEqualTo("SELECT *\nFROM tpch.part\nLIMIT 100");
    assertThat(PanelSql.firstRows("tpch", "part", List.of("a = 1", "b = 2")))
        .isEqualTo("SELECT *\nFROM tpch.part\nWHERE a = 1 AND b = 2\nLIMIT 100");
  }

  @Test
  void docsFiltersReadAsPlainConditionsWhereTheyCan() {
    assertThat(PanelSql.plainCondition(io.neuralake.filter.Filter.eq("implant_id", 4595))).hasValue("implant_id = 4595");
    assertThat(PanelSql.plainCondition(io.neuralake.filter.Filter.in("date", "2024-04-28", "it's")))
        .hasValue("\"date\" IN ('2024-04-28', 'it''s')");
    assertThat(PanelSql.plainCondition(io.neuralake.filter.Filter.ge("rate", 1.5))).hasValue("rate >= 1.5");
    assertThat(PanelSql.plainCondition(io.neuralake.filter.Filter.contains("name", "x"))).isEmpty();
  }

  @Test
  void variableNamesAreGrafanaWords() {
    assertThat(PanelSql.variableName("implant_id")).isEqualTo("implant_id");
    assertThat(PanelSql.variableName("my col-1")).isEqualTo("my_col_1");
    assertThat(PanelSql.variableName("1st")).isEqualTo("_1st");
  }
}

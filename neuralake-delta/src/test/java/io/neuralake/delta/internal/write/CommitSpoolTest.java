package io.neuralake.delta.internal.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.json.JsonUtils;
import io.delta.kernel.internal.actions.SingleAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-over of commit requests between writer processes, through renames in a folder. */
class CommitSpoolTest {
  private static final String LAYOUT = "layout-a";

  @TempDir Path dir;

  private CommitSpool spool() {
    return new CommitSpool(dir.resolve("table.lock"));
  }

  private static List<Row> adds(String... paths) {
    return Stream.of(paths).map(p -> JsonUtils.rowFromJson("{\"add\":{\"path\":\"" + p + "\",\"partitionValues\":{\"day\":\"1\"},"
        + "\"size\":10,\"modificationTime\":1,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":3}\"}}",
        SingleAction.FULL_SCHEMA)).toList();
  }

  private static long pid() {
    return ProcessHandle.current().pid();
  }

  @Test
  void aClaimedRequestCarriesItsActionsAndItsOwnerLearnsTheVersion() {
    CommitSpool owner = spool();
    CommitSpool.Ticket ticket = owner.put(LAYOUT, 4, adds("day=1/a.parquet", "day=1/b.parquet"));
    assertThat(ticket.firstAddPath()).isEqualTo("day=1/a.parquet");
    assertThat(ticket.readVersion()).isEqualTo(4);
    assertThat(owner.state(ticket)).isEqualTo(new CommitSpool.State.Waiting());

    CommitSpool holder = spool();
    List<CommitSpool.Claim> claims = holder.claimWaiting(LAYOUT);
    assertThat(claims).hasSize(1);
    assertThat(claims.get(0).actions()).map(JsonUtils::rowToJson)
        .containsExactlyElementsOf(adds("day=1/a.parquet", "day=1/b.parquet").stream().map(JsonUtils::rowToJson).toList());
    assertThat(owner.state(ticket)).isEqualTo(new CommitSpool.State.Claimed(pid()));
    assertThat(owner.withdraw(ticket)).as("a claimed request cannot be withdrawn").isFalse();
    assertThat(CommitSpool.intact(claims)).isTrue();

    holder.done(claims, 7);
    assertThat(owner.state(ticket)).isEqualTo(new CommitSpool.State.Done(7));
    owner.forget(ticket);
    assertThat(files()).isEmpty();
  }

  @Test
  void requestsOfAnotherLayoutAreLeftForTheirOwners() {
    CommitSpool owner = spool();
    CommitSpool.Ticket ticket = owner.put("layout-b", 1, adds("x.parquet"));
    assertThat(spool().claimWaiting(LAYOUT)).isEmpty();
    assertThat(owner.state(ticket)).isEqualTo(new CommitSpool.State.Waiting());
    assertThat(owner.withdraw(ticket)).isTrue();
    assertThat(spool().claimWaiting("layout-b")).as("withdrawn").isEmpty();
    owner.forget(ticket);
    assertThat(files()).isEmpty();
  }

  @Test
  void aRequestTakenBackIsNoLongerTheHoldersAndGetsNoOutcomeFromIt() {
    CommitSpool owner = spool();
    CommitSpool.Ticket taken = owner.put(LAYOUT, 1, adds("a.parquet"));
    CommitSpool.Ticket kept = owner.put(LAYOUT, 1, adds("b.parquet"));
    CommitSpool holder = spool();
    List<CommitSpool.Claim> claims = holder.claimWaiting(LAYOUT);
    assertThat(claims).hasSize(2);

    assertThat(owner.revoke(taken, pid() + 1)).as("not claimed by that process").isFalse();
    assertThat(owner.revoke(taken, pid())).isTrue();
    assertThat(CommitSpool.intact(claims)).as("the holder's check before its put").isFalse();
    List<CommitSpool.Claim> held = CommitSpool.stillHeld(claims);
    assertThat(held).extracting(CommitSpool.Claim::id).containsExactly(kept.id());

    holder.done(claims, 9);
    assertThat(owner.state(kept)).isEqualTo(new CommitSpool.State.Done(9));
    assertThat(Files.exists(dir.resolve("table.spool").resolve(taken.id() + ".done"))).as("no outcome for the taken-back one")
        .isFalse();
    owner.forget(taken);
    owner.forget(kept);
    assertThat(files()).isEmpty();
  }

  @Test
  void releasedClaimsWaitAgainAndFailedOnesSayWhy() {
    CommitSpool owner = spool();
    CommitSpool.Ticket ticket = owner.put(LAYOUT, 1, adds("a.parquet"));
    CommitSpool holder = spool();
    holder.release(holder.claimWaiting(LAYOUT));
    assertThat(owner.state(ticket)).isEqualTo(new CommitSpool.State.Waiting());

    holder.failed(holder.claimWaiting(LAYOUT), "the store refused the put");
    assertThat(owner.state(ticket)).isEqualTo(new CommitSpool.State.Failed("the store refused the put"));
    owner.forget(ticket);
    assertThat(files()).isEmpty();
  }

  private List<Path> files() {
    try (Stream<Path> files = Files.list(dir.resolve("table.spool"))) {
      return files.toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package io.neuralake.spark.internal;

import io.neuralake.delta.CommitResult;
import io.neuralake.delta.DistributedAppend;
import io.neuralake.delta.WrittenFile;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of an append or overwrite: executors write data files and report them; once
 * every task has succeeded, the driver adds them all (and removes an overwrite's replaced files) in
 * one Delta commit (put-if-absent of the next log entry), so a Spark job is one version of the
 * table, safe beside Neuralake's own writers.
 */
final class DeltaBatchWrite implements BatchWrite {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaBatchWrite.class);
  private final TableRef ref;
  private final DistributedAppend append;

  DeltaBatchWrite(TableRef ref, DistributedAppend append) {
    this.ref = ref;
    this.append = append;
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new DeltaWriterFactory(ref, append.task());
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    CommitResult result = append.commit(files(messages));
    LOG.info("{}: Spark's write committed as version {} ({} files of {} rows added, {} removed)", ref,
        result.version(), result.filesAdded(), result.rowsAdded(), result.filesRemoved());
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    // tasks that failed deleted their own files; these are the files of tasks that succeeded
    append.abort(files(messages));
    LOG.warn("{}: Spark's write was aborted; nothing was committed", ref);
  }

  private static List<List<WrittenFile>> files(WriterCommitMessage[] messages) {
    return Arrays.stream(messages).filter(Objects::nonNull).map(m -> ((DeltaCommitMessage) m).files()).toList();
  }

  /** The files one task wrote. */
  record DeltaCommitMessage(List<WrittenFile> files) implements WriterCommitMessage {
    private static final long serialVersionUID = 1L;
  }
}

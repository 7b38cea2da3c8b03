package io.neuralake.spark.internal;

import org.apache.spark.QueryContext;
import org.apache.spark.sql.AnalysisException;
import scala.Option;

/**
 * Errors as Spark users see them: an {@link AnalysisException} whose message says what is wrong and
 * how to fix it, without the stack of the catalog's internals underneath.
 */
public final class SparkErrors {
  private SparkErrors() {}

  public static AnalysisException analysis(String message) {
    return new AnalysisException(message, Option.empty(), Option.empty(), Option.empty(), Option.empty(),
        scala.collection.immutable.Map$.MODULE$.<String, String>empty(), new QueryContext[0]);
  }

  /**
   * Throws an {@link AnalysisException} from a method of a Spark interface that does not declare it
   * (Spark's interfaces are called from Scala, which has no checked exceptions).
   */
  public static RuntimeException raise(AnalysisException e) {
    throw SparkErrors.<RuntimeException>sneaky(e);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }

  /** The message of a failure inside Neuralake, for a Spark user: its own text, or its type's name when it has none. */
  public static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}

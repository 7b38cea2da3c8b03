package io.neuralake;

import static java.util.Objects.requireNonNull;

/**
 * An environment variable or system property holds a value Neuralake cannot use. The message is
 * one line naming the setting, the value and a valid example, fit to show a user as it is. Its
 * code is {@link ErrorCode#INVALID_SETTING}.
 */
public final class InvalidSettingException extends NeuralakeException {
  private static final long serialVersionUID = 1L;
  private final String setting;

  public InvalidSettingException(String setting, String value, String expected, String example) {
    super(ErrorCode.INVALID_SETTING, setting + "='" + value + "' is not valid: " + expected + ", e.g. " + example);
    this.setting = requireNonNull(setting, "setting");
  }

  /** The variable (or {@code -D} system property) that was set. */
  public String setting() {
    return setting;
  }
}

import CSupportSimTerminal

/// The process's handling of terminal signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP,
/// SIGWINCH): handlers that only set flags, read by the line readers (see CSupportSimTerminal).
public enum TerminalSignals {
    /// Installs the handlers (once per process; later calls do nothing). From then on SIGTERM,
    /// SIGHUP and SIGQUIT no longer end the process: the next read returns
    /// `LineInput.terminated(signal:)`, and the caller saves its work and exits with 128 + signal.
    /// A signal ignored when the program started stays ignored.
    public static func install() { _ = supportsim_signals_install() }

    /// The first SIGTERM, SIGHUP or SIGQUIT received since `install()`, or nil.
    public static var terminatingSignal: Int32? {
        let signal = supportsim_terminating_signal()
        return signal == 0 ? nil : signal
    }
}

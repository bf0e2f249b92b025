namespace Podwake.Deploy;

/// <summary>
/// What one <c>podwake deploy</c> has changed so far, as the steps that undo it: if any later step fails, the host goes
/// back to the deployment it had before (a changed service that fails to redeploy keeps the old one serving).
/// </summary>
/// <remarks>
/// Undo steps run newest first (stop what was started before removing its unit file, remove a container before the
/// namespace it joined). Restarts of what was running run after every undo step, once the old unit files are back and
/// loaded. Commit steps (removing the replaced container) run only when the whole deploy succeeded. Undo runs with no
/// cancellation (a Ctrl-C during deploy still rolls back) and goes on past a step that fails, reporting it.
/// </remarks>
internal sealed class DeployJournal
{
    private readonly List<(string What, Func<Task> Action)> _undo = [];
    private readonly List<(string What, Func<Task> Action)> _restart = [];
    private readonly List<(string What, Func<Task> Action)> _commit = [];

    /// <summary>How many undo and restart steps are recorded.</summary>
    public int Count => _undo.Count + _restart.Count;

    /// <summary>Records how to undo a step just done (or about to be: an undo must cope with a half-done step).</summary>
    public void Undo(string what, Func<Task> action) => _undo.Add((what, action));

    /// <summary>Records something to start again after the rollback (it ran before this deploy stopped it).</summary>
    public void RestartAfterUndo(string what, Func<Task> action) => _restart.Add((what, action));

    /// <summary>Records a step for when the deploy succeeded (e.g. removing the container it replaced).</summary>
    public void OnCommit(string what, Func<Task> action) => _commit.Add((what, action));

    /// <summary>Runs the commit steps; a failure there leaves the new deployment in place and is only reported.</summary>
    public async Task CommitAsync(TextWriter output)
    {
        foreach (var (what, action) in _commit)
        {
            await RunAsync(what, action, output).ConfigureAwait(false);
        }
    }

    /// <summary>Undoes every recorded step, newest first, then restarts what ran before; reports what could not be undone.</summary>
    /// <returns>The number of steps that failed.</returns>
    public async Task<int> RollBackAsync(TextWriter output)
    {
        var failed = 0;
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            failed += await RunAsync(_undo[i].What, _undo[i].Action, output).ConfigureAwait(false) ? 0 : 1;
        }

        foreach (var (what, action) in _restart)
        {
            failed += await RunAsync(what, action, output).ConfigureAwait(false) ? 0 : 1;
        }

        return failed;
    }

    private static async Task<bool> RunAsync(string what, Func<Task> action, TextWriter output)
    {
        try
        {
            await action().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await output.WriteLineAsync($"podwake: warning: failed to {what}: {ex.Message}").ConfigureAwait(false);
            return false;
        }
    }
}

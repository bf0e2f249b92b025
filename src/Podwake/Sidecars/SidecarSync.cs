using Microsoft.Extensions.Logging;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Sidecars;

/// <summary>
/// One pass that makes a side-car service's containers match its list, under the state folder's lock: the calls
/// waiting in <c>calls/</c> become list entries (a later call for a key replaces the earlier one), every entry gets
/// a running container of its call (created, replaced, or started again per <c>restart:</c>), a container whose key
/// is gone from the list is removed, and every call gets its answer. Never two containers for one key: the
/// container's name is the key's, and passes never overlap.
/// </summary>
internal sealed partial class SidecarSync
{
    /// <summary>Most output of a foreground run passed back, per stream.</summary>
    private const int MaxOutputBytes = 16 * 1024 * 1024;

    /// <summary>Answers nobody collected (the caller was killed while it waited) go after this long.</summary>
    private static readonly TimeSpan AnswerLifetime = TimeSpan.FromHours(1);

    private readonly ServiceSpec _spec;
    private readonly PodmanClient _podman;
    private readonly SidecarPaths _paths;
    private readonly string _manager;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<ulong, string?> _netnsNamed;

    /// <param name="manager">The runtime, for the containers' manager label: <c>serve</c> or <c>systemd</c>.</param>
    /// <param name="netnsNamed">Finds a namespace's name under /run/netns by inode (tests pass their own).</param>
    public SidecarSync(ServiceSpec spec, PodmanClient podman, SidecarPaths paths, string manager, ILogger logger, TimeProvider time, Func<ulong, string?>? netnsNamed = null)
    {
        _spec = spec;
        _podman = podman;
        _paths = paths;
        _manager = manager;
        _logger = logger;
        _time = time;
        _netnsNamed = netnsNamed ?? SidecarKeys.NetnsNamed;
    }

    public ServiceSpec Spec => _spec;

    /// <summary>Runs one pass; returns the containers of foreground calls still running (their exit needs another pass).</summary>
    public async Task<IReadOnlyList<string>> PassAsync(CancellationToken cancellationToken)
    {
        using var store = SidecarStore.Open(_paths, create: true)!;
        // flock blocks its thread: another pass (the .path unit's, a `podwake sidecar sync`) is short.
        using var held = await Task.Run(store.Lock, cancellationToken).ConfigureAwait(false);
        // podman first: a pass that cannot reach it leaves the calls waiting in calls/ (for the next pass, or for their
        // callers to withdraw), instead of taking calls it then never answers.
        var containers = (await _podman.ListContainersAsync($"{ContainerLabels.Service}={_spec.Name}", cancellationToken).ConfigureAwait(false))
            .Where(c => c.Labels?.ContainsKey(ContainerLabels.SidecarKey) == true)
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        var waiting = TakeCalls(store);
        var entries = ReadEntries(store);

        var foreground = new List<string>();
        foreach (var (stem, entry) in entries)
        {
            var name = SidecarNames.Container(_spec.Name, entry.Key!);
            containers.Remove(name, out var existing);
            var answers = waiting.TryGetValue(stem, out var ids) ? ids : [];
            if (await ReconcileAsync(store, stem, entry, existing, answers, cancellationToken).ConfigureAwait(false))
            {
                foreground.Add(name);
            }
        }

        foreach (var orphan in containers.Values)
        {
            await RemoveAsync(store, orphan, "its key was removed from the list", cancellationToken).ConfigureAwait(false);
            SidecarLog.Removed(_logger, _spec.Name, orphan.Labels![ContainerLabels.SidecarKey], orphan.Name);
        }

        store.PruneAnswers(AnswerLifetime, _time.GetUtcNow());
        return foreground;
    }

    /// <summary>Removes every container of the service's keys (serve's exit; the list stays, so the next start runs them again).</summary>
    public async Task RemoveAllAsync(CancellationToken cancellationToken)
    {
        var containers = await _podman.ListContainersAsync($"{ContainerLabels.Service}={_spec.Name}", cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(containers
            .Where(c => c.Labels?.ContainsKey(ContainerLabels.SidecarKey) == true)
            .Select(c => _podman.RemoveContainerAsync(c.Name, force: true, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Turns the waiting calls into list entries, in the order they were made; returns the IDs that wait for an answer, by key.</summary>
    private Dictionary<string, List<string>> TakeCalls(SidecarStore store)
    {
        var calls = new List<(SidecarCall Call, DateTime Made)>();
        foreach (var id in store.PendingCallIds())
        {
            SidecarCall? call;
            string? problem;
            try
            {
                var text = store.ReadCall(id);
                if (text is null)
                {
                    continue;
                }

                call = SidecarCallFile.Parse(text, out problem);
                if (call is not null && call.Id != id)
                {
                    problem = $"the call's id line says {call.Id}, its file {id}.call";
                    call = null;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                (call, problem) = (null, Describe(ex));
            }

            if (call is null)
            {
                Answer(store, id, SidecarAnswer.Failed(problem!));
                store.DeleteCall(id);
                continue;
            }

            calls.Add((call, CallMade(store, id)));
        }

        var waiting = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (call, _) in calls.OrderBy(c => c.Made).ThenBy(c => c.Call.Time))
        {
            var key = SidecarKeys.Derive(_spec.Sidecar!.Key, call, _netnsNamed, out var problem);
            if (key is null)
            {
                Answer(store, call.Id, SidecarAnswer.Failed(problem!));
                store.DeleteCall(call.Id);
                continue;
            }

            var stem = SidecarNames.Stem(key);
            try
            {
                store.WriteEntry(stem, call with { Key = key });
            }
            catch (IOException ex)
            {
                // Whoever can call can write in keys/ (a directory at the entry's name): this call fails, not the pass.
                Answer(store, call.Id, SidecarAnswer.Failed($"the call could not be listed: {ex.Message}"));
                store.DeleteCall(call.Id);
                continue;
            }

            store.DeleteCall(call.Id);
            if (!waiting.TryGetValue(stem, out var ids))
            {
                waiting[stem] = ids = [];
            }

            // An earlier call for the key in this pass was replaced before it ran: it gets the answer of the one that runs.
            ids.Add(call.Id);
        }

        return waiting;
    }

    /// <summary>When the wrapper wrote the call (the file's time, finer than the call's own seconds).</summary>
    private static DateTime CallMade(SidecarStore store, string id)
    {
        try
        {
            return File.GetLastWriteTimeUtc(Path.Join(store.Paths.Calls, id + ".call"));
        }
        catch (IOException)
        {
            return DateTime.MaxValue;
        }
    }

    private SortedDictionary<string, SidecarCall> ReadEntries(SidecarStore store)
    {
        var entries = new SortedDictionary<string, SidecarCall>(StringComparer.Ordinal);
        foreach (var (stem, text, unreadable) in store.Entries())
        {
            var readProblem = unreadable;
            var call = text is null ? null : SidecarCallFile.Parse(text, out readProblem);
            if (call is { Key: { } key } && SidecarNames.Stem(key) == stem)
            {
                entries[stem] = call;
                continue;
            }

            SidecarLog.EntryDropped(_logger, _spec.Name, stem, readProblem ?? (call is null ? "unreadable" : "its key does not match its file name"));
            store.DeleteEntry(stem);
        }

        return entries;
    }

    /// <summary>Why a file of the state folder could not be read, for its caller (an <see cref="UnsafePathException"/>'s own text is deploy's advice).</summary>
    private static string Describe(Exception ex) =>
        ex is UnsafePathException unsafePath ? $"{unsafePath.PathName} is not a call podwake reads: {unsafePath.Problem}" : ex.Message;

    private void Answer(SidecarStore store, string id, SidecarAnswer answer)
    {
        if (answer.Word == "failed")
        {
            SidecarLog.CallFailed(_logger, _spec.Name, id, answer.Message!);
        }

        WriteAnswer(store, id, answer);
    }

    /// <summary>Gives call <paramref name="id"/> its answer; one that cannot be written (a directory planted at its name) fails that call only, not the pass.</summary>
    private void WriteAnswer(SidecarStore store, string id, SidecarAnswer answer)
    {
        try
        {
            store.WriteStatus(id, answer);
        }
        catch (IOException ex)
        {
            SidecarLog.AnswerFailed(_logger, _spec.Name, id, ex.Message);
        }
    }
}

using System.Globalization;

namespace Podwake.Podman;

/// <summary>
/// Shows a pull's <see cref="PullEvent"/>s. On a terminal: one line per blob, redrawn in place (ANSI cursor-up, then
/// each line cleared and rewritten) with bytes so far, size and rate. Otherwise: one plain line per step (a blob
/// started, a blob done with its size when podman said it), never a carriage return, so a log or journal stays readable.
/// Rates come from <see cref="TimeProvider"/>: per blob since it started, for the summary since the pull started.
/// </summary>
internal sealed class PullProgress
{
    private const string CursorUp = "\e[{0}A";
    private const string ClearLine = "\r\e[2K";

    private readonly TimeProvider _time;
    private readonly Action<string> _plain;
    private readonly TextWriter? _terminal;
    private readonly long _started;
    private readonly List<PullLayer> _layers = [];
    private int _drawn;

    /// <param name="plain">Where a step's line goes when there is no terminal (a logger, a writer).</param>
    /// <param name="terminal">The terminal to draw on; null = plain lines.</param>
    public PullProgress(TimeProvider time, Action<string> plain, TextWriter? terminal = null)
    {
        _time = time;
        _plain = plain;
        _terminal = terminal;
        _started = time.GetTimestamp();
    }

    public void Report(PullEvent step)
    {
        if (step.Kind == PullEventKind.Text)
        {
            Line(step.Subject);
            return;
        }

        var layer = _layers.Find(l => l.Id == step.Subject);
        if (layer is null)
        {
            layer = new PullLayer(step.Subject, _time.GetTimestamp());
            _layers.Add(layer);
            if (step.Kind != PullEventKind.LayerExists && _terminal is null)
            {
                _plain($"pulling layer {Digest(layer.Id)}");
            }
        }

        switch (step.Kind)
        {
            case PullEventKind.LayerProgress:
                layer.Current = step.Current;
                layer.Total = step.Total;
                break;
            case PullEventKind.LayerDone:
                layer.State = "done";
                layer.Current = layer.Total;
                if (_terminal is null)
                {
                    _plain(layer.Total > 0 ? $"layer {Digest(layer.Id)} done ({Size(layer.Total)})" : $"layer {Digest(layer.Id)} done");
                }

                break;
            case PullEventKind.LayerExists:
                layer.State = "already present";
                if (_terminal is null)
                {
                    _plain($"layer {Digest(layer.Id)} already present");
                }

                break;
        }

        Draw();
    }

    /// <summary>The closing line: <c>pulled IMAGE (ID) — 45.6 MB in 5.6 s, 8.1 MB/s</c> (bytes only as far as podman reported sizes).</summary>
    public string Summary(string image, string id)
    {
        var seconds = _time.GetElapsedTime(_started).TotalSeconds;
        var bytes = _layers.Sum(l => l.Total);
        var shortId = id.Length > 12 ? id[..12] : id;
        var took = seconds.ToString("0.0", CultureInfo.InvariantCulture);
        return bytes > 0
            ? $"pulled image {image} ({shortId}) — {Size(bytes)} in {took} s, {Rate(bytes, seconds)}"
            : $"pulled image {image} ({shortId}) in {took} s";
    }

    /// <summary>Bytes as podman and docker show them (powers of 1000): <c>512 B</c>, <c>12.3 kB</c>, <c>45.6 MB</c>, <c>1.2 GB</c>.</summary>
    internal static string Size(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} B",
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB"),
    };

    private static string Rate(long bytes, double seconds) => seconds > 0 ? $"{Size((long)(bytes / seconds))}/s" : "";

    private static string Digest(string id) => $"sha256:{id}";

    private void Line(string text)
    {
        if (_terminal is null)
        {
            _plain(text);
            return;
        }

        // Below the blob lines drawn so far; they stay as they were.
        _terminal.Write($"{text}\n");
        _drawn = 0;
    }

    private void Draw()
    {
        if (_terminal is null)
        {
            return;
        }

        var frame = new System.Text.StringBuilder();
        if (_drawn > 0)
        {
            frame.Append(string.Format(CultureInfo.InvariantCulture, CursorUp, _drawn));
        }

        foreach (var layer in _layers)
        {
            frame.Append(ClearLine).Append("  ").Append(Digest(layer.Id)).Append("  ").Append(Describe(layer)).Append('\n');
        }

        _terminal.Write(frame.ToString());
        _terminal.Flush();
        _drawn = _layers.Count;
    }

    private string Describe(PullLayer layer)
    {
        if (layer.State is { } state)
        {
            return layer.Total > 0 ? $"{Size(layer.Total)} {state}" : state;
        }

        if (layer.Total <= 0)
        {
            return "waiting";
        }

        var seconds = _time.GetElapsedTime(layer.Started).TotalSeconds;
        return $"{Size(layer.Current)} / {Size(layer.Total)}  {Rate(layer.Current, seconds)}";
    }
}

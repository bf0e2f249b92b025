using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Podwake.Specs;

/// <summary>
/// YamlDotNet's parser with limits, between it and the representation model: nesting depth, node count, and every
/// alias expanded in place as a copy of its anchor's events carrying the alias's position.
/// </summary>
/// <remarks>
/// <para>Depth: the representation model builds nodes recursively, so 50,000 nested <c>[</c> (100 KB) overflowed the
/// stack (SIGSEGV-like, uncatchable in .NET, no message). Counting here stops the stream at <see cref="MaxDepth"/>,
/// before the model recurses and before the scanner has read more than a few tokens past that point.</para>
/// <para>Aliases: the model shares the anchored node, so an error in it pointed at the anchor, not at the use that
/// made it wrong (<c>ports: [*p]</c>); an undefined alias pointed at 1:1. Copies point at the alias, and an
/// undefined one is reported at itself. <see cref="MaxNodes"/> bounds what copies can multiply to ("billion laughs").</para>
/// </remarks>
internal sealed class BoundedYamlParser : IParser
{
    /// <summary>Most nested mappings and lists; a service file needs 3 (the document, ready, its exec list).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most YAML nodes (and ends of collections) one file may produce, aliases expanded.</summary>
    public const int MaxNodes = 200_000;

    private readonly IScanner _scanner;
    private readonly Parser _inner;
    private readonly Queue<ParsingEvent> _replay = new();
    private readonly Dictionary<string, List<ParsingEvent>> _anchors = new(StringComparer.Ordinal);
    private readonly List<(string Anchor, int Depth, List<ParsingEvent> Events)> _recordings = [];
    private int _depth;
    private int _events;

    public BoundedYamlParser(TextReader reader)
    {
        _scanner = new Scanner(reader, skipComments: true);
        _inner = new Parser(_scanner);
    }

    public ParsingEvent? Current { get; private set; }

    /// <summary>Where the scanner is: the best place to report a failure YamlDotNet gives no position for.</summary>
    public Mark Position => _scanner.CurrentPosition;

    public bool MoveNext()
    {
        ParsingEvent next;
        if (_replay.Count > 0)
        {
            next = _replay.Dequeue();
        }
        else if (!_inner.MoveNext())
        {
            Current = null;
            return false;
        }
        else if (_inner.Current is AnchorAlias alias)
        {
            Expand(alias);
            next = _replay.Dequeue();
        }
        else
        {
            next = _inner.Current!;
        }

        Current = Emit(next);
        return true;
    }

    private void Expand(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (_recordings.Any(r => r.Anchor == name))
        {
            throw new YamlException(alias.Start, alias.End, $"the alias *{name} is inside the node &{name} it refers to; a service file cannot contain itself");
        }

        if (!_anchors.TryGetValue(name, out var events))
        {
            throw new YamlException(alias.Start, alias.End, $"the alias *{name} refers to no anchor; define &{name} on a value before this use");
        }

        foreach (var e in events)
        {
            _replay.Enqueue(Relocated(e, alias.Start, alias.End));
        }
    }

    /// <summary>Counts, checks and records <paramref name="e"/>; returns it without its anchor.</summary>
    private ParsingEvent Emit(ParsingEvent e)
    {
        if (++_events > MaxNodes)
        {
            throw new YamlException(e.Start, e.End, $"more than {MaxNodes} YAML nodes (aliases expanded); a service file needs a few dozen");
        }

        if (e is MappingStart or SequenceStart && ++_depth > MaxDepth)
        {
            throw new YamlException(e.Start, e.End, $"lists and mappings nested more than {MaxDepth} deep; a service file needs 3");
        }

        var anchor = e is NodeEvent { Anchor.IsEmpty: false } node ? node.Anchor.Value : null;
        var plain = anchor is null ? e : Relocated(e, e.Start, e.End);
        foreach (var recording in _recordings)
        {
            recording.Events.Add(plain);
        }

        if (anchor is not null)
        {
            if (plain is Scalar)
            {
                _anchors[anchor] = [plain];
            }
            else
            {
                _recordings.Add((anchor, _depth, [plain]));
            }
        }

        if (e is MappingEnd or SequenceEnd)
        {
            for (var i = _recordings.Count - 1; i >= 0; i--)
            {
                if (_recordings[i].Depth == _depth)
                {
                    _anchors[_recordings[i].Anchor] = _recordings[i].Events;
                    _recordings.RemoveAt(i);
                }
            }

            _depth--;
        }

        return plain;
    }

    /// <summary>A copy of <paramref name="e"/> with no anchor, at <paramref name="start"/>..<paramref name="end"/>.</summary>
    private static ParsingEvent Relocated(ParsingEvent e, Mark start, Mark end) => e switch
    {
        Scalar s => new Scalar(AnchorName.Empty, s.Tag, s.Value, s.Style, s.IsPlainImplicit, s.IsQuotedImplicit, start, end, s.IsKey),
        SequenceStart s => new SequenceStart(AnchorName.Empty, s.Tag, s.IsImplicit, s.Style, start, end),
        MappingStart m => new MappingStart(AnchorName.Empty, m.Tag, m.IsImplicit, m.Style, start, end),
        SequenceEnd => new SequenceEnd(start, end),
        MappingEnd => new MappingEnd(start, end),
        _ => throw new InvalidOperationException($"unexpected {e.GetType().Name} inside a node"),
    };
}

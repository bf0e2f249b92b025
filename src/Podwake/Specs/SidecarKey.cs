using System.Text.RegularExpressions;

namespace Podwake.Specs;

/// <summary>
/// <c>sidecar.key</c>: <c>netns</c> (the network namespace the wrapper was called in, a name under /run/netns),
/// <c>env:NAME</c> (the value of a variable of the call's environment) or <c>arg:REGEX</c> (the first argument the
/// regular expression matches: its first capture group, or the whole match when it has none).
/// </summary>
internal sealed record SidecarKey
{
    public required SidecarKeyKind Kind { get; init; }

    /// <summary>The variable of <see cref="SidecarKeyKind.Env"/>.</summary>
    public string? Variable { get; init; }

    /// <summary>The expression of <see cref="SidecarKeyKind.Arg"/> (.NET syntax, culture-invariant, with a match timeout).</summary>
    public Regex? Pattern { get; init; }

    public static SidecarKey Netns { get; } = new() { Kind = SidecarKeyKind.Netns };

    /// <summary>As the service file writes it: <c>netns</c>, <c>env:NAME</c>, <c>arg:REGEX</c>.</summary>
    public override string ToString() => Kind switch
    {
        SidecarKeyKind.Netns => "netns",
        SidecarKeyKind.Env => $"env:{Variable}",
        _ => $"arg:{Pattern}",
    };
}

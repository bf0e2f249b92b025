using System.Net;

namespace Podwake.Specs;

/// <summary>A privileged port or outside address forwarded to one of the service's listen ports.</summary>
internal sealed record ExposeSpec
{
    public required IPEndPoint Listen { get; init; }

    public required int To { get; init; }

    public required SourceLocation Location { get; init; }
}

using System.Globalization;
using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>
/// One line of <c>GET /libpod/events?stream=true</c> (podman 4.3.1, Docker-compatible shape):
/// <c>{"status":"died","id":"…","from":"IMAGE","Type":"container","Action":"died","Actor":{"ID":"…",
/// "Attributes":{"containerExitCode":"137","image":"…","name":"web","podId":"",…labels}},"scope":"local",
/// "time":1795457966,"timeNano":1795457966985270130}</c>.
/// Container actions seen: <c>init start kill died cleanup stop remove exec exec_died</c> (<c>create</c> too).
/// </summary>
internal sealed record PodmanEvent
{
    /// <summary><c>container</c>, <c>image</c>, <c>pod</c>, <c>volume</c>...</summary>
    [JsonPropertyName("Type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("Action")]
    public string Action { get; init; } = "";

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("Actor")]
    public PodmanEventActor? Actor { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("time")]
    public long Time { get; init; }

    /// <summary>Unix nanoseconds.</summary>
    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }

    [JsonIgnore]
    public string Id => Actor?.Id ?? "";

    [JsonIgnore]
    public string? Name => Attribute("name");

    /// <summary>The exit code on <c>died</c> / <c>exec_died</c> (podman sends it as a string; "0" on other actions).</summary>
    [JsonIgnore]
    public int? ContainerExitCode =>
        int.TryParse(Attribute("containerExitCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;

    [JsonIgnore]
    public DateTimeOffset Timestamp => TimeNano > 0
        ? DateTimeOffset.UnixEpoch.AddTicks(TimeNano / 100)
        : DateTimeOffset.FromUnixTimeSeconds(Time);

    private string? Attribute(string key) =>
        Actor?.Attributes is { } attributes && attributes.TryGetValue(key, out var value) ? value : null;
}

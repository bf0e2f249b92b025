using System.CommandLine;
using System.Net;

namespace Podwake.Cli;

/// <summary>The <c>--metrics ADDR</c> option of serve and deploy: where Prometheus scrapes (<c>127.0.0.1:9464</c>, <c>[::1]:9464</c>).</summary>
internal static class MetricsAddress
{
    /// <summary>The exporter port Prometheus's own list of default ports gives podwake's kind of exporter; an example, not a default.</summary>
    public const string Example = "127.0.0.1:9464";

    public static Option<string?> CreateOption(string description)
    {
        var option = new Option<string?>("--metrics")
        {
            Description = description,
            HelpName = "ADDR",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValue(option) is { } text && !TryParse(text, out _))
            {
                result.AddError($"--metrics: \"{text}\" is not an address and port: give one such as {Example} (or [::1]:9464); a loopback address keeps the metrics on this host");
            }
        });
        return option;
    }

    public static bool TryParse(string text, out IPEndPoint endpoint) =>
        IPEndPoint.TryParse(text, out endpoint!) && endpoint.Port > 0 && (text.StartsWith('[') || !text.Contains("::", StringComparison.Ordinal));
}

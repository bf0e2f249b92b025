using System.Security.Cryptography;
using System.Text;

namespace Podwake.Pods;

/// <summary>The names podman gives a <c>pod:</c> service's objects when podwake plays its file.</summary>
internal static class PodNames
{
    /// <summary>The pod: <c>podwake-NAME</c>, as a single container service's container (the pod file's own name is replaced).</summary>
    public static string Pod(string service) => $"podwake-{service}";

    /// <summary>A container of the pod: podman kube play names it <c>POD-CONTAINER</c>.</summary>
    public static string Container(string service, string container) => $"{Pod(service)}-{container}";

    /// <summary>
    /// The service container podman kube play creates with <c>--service-container=true</c>: the first 12 hex digits of
    /// the SHA-256 of the played file's bytes, then <c>-service</c> (libpod names it so; read back after each play).
    /// </summary>
    public static string ServiceContainer(string playedText) =>
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(playedText)))[..12]}-service";
}

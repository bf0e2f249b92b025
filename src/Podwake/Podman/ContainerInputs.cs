using System.Security.Cryptography;
using System.Text;
using Podwake.Specs;

namespace Podwake.Podman;

/// <summary>The <see cref="ContainerLabels.Inputs"/> value of a service: its env files' and secret files' digests, or null when it has none.</summary>
internal static class ContainerInputs
{
    public static string? Of(ServiceSpec spec)
    {
        var parts = spec.EnvFiles.Select(f => $"env:{f.Hash}")
            .Concat(spec.Secrets.Where(s => s.Fingerprint is not null).Select(s => $"secret:{s.Name}:{s.Fingerprint}"))
            .ToList();
        if (parts.Count == 0)
        {
            return null;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];
    }
}

using Podwake.Specs;

namespace Podwake.Podman;

/// <summary>A service's container variables as the API's create request takes them.</summary>
internal static class ContainerEnv
{
    /// <summary>The env files' variables in order, then <c>env:</c>, which wins (as podman's --env after --env-file).</summary>
    public static IReadOnlyDictionary<string, string> Of(ServiceSpec spec)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in spec.EnvFiles.SelectMany(f => f.Variables).Concat(spec.Env))
        {
            env[name] = value;
        }

        return env;
    }
}

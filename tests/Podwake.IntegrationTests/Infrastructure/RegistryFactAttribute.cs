using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A fact that starts a <see cref="TestRegistry"/>: needs podman, docker-registry and htpasswd. Skipped with the reason
/// when one is missing — except under CI (<c>CI=true</c>), where it runs and fails loudly instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RegistryFactAttribute : FactAttribute
{
    public RegistryFactAttribute()
    {
        if (!PodmanAvailability.IsCi && RegistryAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A fact that needs a working podman (rootful or rootless, whoever runs the tests). Skipped with the reason when
/// podman is unusable — except under CI (<c>CI=true</c>), where it runs and fails loudly instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!PodmanAvailability.IsCi && PodmanAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

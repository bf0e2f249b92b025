using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>The theory twin of <see cref="PodmanFactAttribute"/>: skips without podman, never under CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PodmanTheoryAttribute : TheoryAttribute
{
    public PodmanTheoryAttribute()
    {
        if (!PodmanAvailability.IsCi && PodmanAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

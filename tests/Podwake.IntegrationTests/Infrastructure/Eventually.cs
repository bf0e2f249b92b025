using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition on real processes, failing the test when it does not come true in time.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {limit}");
            await Task.Delay(50);
        }
    }
}

using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for a condition on real processes by polling it every 50 ms: what a test waits for instead of a fixed sleep,
/// so it goes on as soon as the condition holds and fails (or gives up) only after <c>limit</c>.
/// </summary>
internal static class Eventually
{
    /// <summary>Fails the test when <paramref name="condition"/> does not come true within <paramref name="limit"/>; the message ends with <paramref name="describe"/>'s text, if given.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan limit, Func<string>? describe = null)
    {
        if (!await WithinAsync(condition, limit))
        {
            Assert.Fail($"condition not met within {limit}{(describe is null ? "" : $": {describe()}")}");
        }
    }

    /// <summary>Whether <paramref name="condition"/> came true within <paramref name="limit"/> (for clean-up, which must not fail the test).</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}

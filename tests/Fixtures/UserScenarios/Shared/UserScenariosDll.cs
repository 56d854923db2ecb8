using System.Reflection;

namespace HighMemConcurrency.Tests.Fixtures;

/// <summary>Where the build put the user-scenario fixture (tests/Fixtures/UserScenarios), as the test project recorded it.</summary>
internal static class UserScenariosDll
{
    /// <summary>The dll's full path; a test fails with the path when the fixture was not built.</summary>
    public static string Path
    {
        get
        {
            var path = typeof(UserScenariosDll).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "UserScenariosDll").Value!;
            Assert.True(File.Exists(path), $"the UserScenarios fixture was not built: {path}");
            return System.IO.Path.GetFullPath(path);
        }
    }

    /// <summary>Its name and version, as traces of its scenarios record them.</summary>
    public const string Identity = "UserScenarios 1.2.0.0";
}

using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// Reads the section "Amv" and checks every setting before the server starts: names it does not know (a typo would
/// otherwise leave a password unset and generated), values that do not convert, the data annotations of
/// <see cref="AmvOptions"/> and of every nested object marked <see cref="ValidateObjectMembersAttribute"/>, and
/// non-finite numbers. Each problem is one line naming the setting; the server prints them and exits with code 2.
/// </summary>
public static class AmvSettings
{
    /// <summary>The exit code of a start refused for bad settings.</summary>
    public const int BadSettingsExitCode = 2;

    /// <summary>The checked settings, bound once and registered as they are as <c>IOptions&lt;AmvOptions&gt;</c>; or null
    /// after printing what is wrong.</summary>
    public static AmvOptions? Load(WebApplicationBuilder builder)
    {
        var (options, problems) = Read(builder.Configuration);
        if (options is null)
        {
            Console.Error.WriteLine("The server cannot start: fix these settings (command line --Amv:Name=value, or environment Amv__Name):");
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"  {problem}");
            }

            return null;
        }

        builder.Services.AddSingleton(Options.Create(options));
        return options;
    }

    /// <summary>The settings of the section "Amv", or null and every problem found.</summary>
    public static (AmvOptions? Options, IReadOnlyList<string> Problems) Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(AmvOptions.Section);
        var problems = UnknownKeys(section, typeof(AmvOptions)).ToList();
        AmvOptions? options = null;
        try
        {
            options = section.Get<AmvOptions>() ?? new AmvOptions();
            problems.AddRange(Check(options));
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.Message); // "Failed to convert configuration value '…' at 'Amv:…' to type '…'."
        }

        return problems.Count == 0 ? (options, problems) : (null, problems);
    }

    /// <summary>Every problem of a bound options object, each naming its setting (e.g. "Amv:Auth:CoordinatorPassword must
    /// be at least 8 characters.").</summary>
    public static IReadOnlyList<string> Check(object options, string path = AmvOptions.Section)
    {
        var problems = new List<string>();
        foreach (var property in Settable(options.GetType()))
        {
            var value = property.GetValue(options);
            var setting = $"{path}:{property.Name}";
            if (value is double d && !double.IsFinite(d) || value is float f && !float.IsFinite(f))
            {
                problems.Add($"{setting} must be a finite number.");
                continue;
            }

            var results = new List<ValidationResult>();
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = setting };
            if (!Validator.TryValidateValue(value, context, results, property.GetCustomAttributes<ValidationAttribute>()))
            {
                problems.AddRange(results.Select(r => r.ErrorMessage ?? $"{setting} is not valid."));
            }

            if (value is not null && property.IsDefined(typeof(ValidateObjectMembersAttribute)))
            {
                problems.AddRange(Check(value, setting));
            }
        }

        return problems;
    }

    private static IEnumerable<string> UnknownKeys(IConfigurationSection section, Type type)
    {
        var properties = Settable(type).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                yield return $"{child.Path} is not a setting of this server (known in {section.Path}: {string.Join(", ", properties.Keys)}).";
            }
            else if (property.IsDefined(typeof(ValidateObjectMembersAttribute)))
            {
                foreach (var unknown in UnknownKeys(child, property.PropertyType))
                {
                    yield return unknown;
                }
            }
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);
}

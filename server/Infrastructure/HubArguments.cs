using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.SignalR;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// The hub's arguments are read as strictly as the API's bodies (<see cref="ErrorHandling.Configure"/>), and one more
/// rule that JSON settings cannot make: an argument the method does not declare nullable may not be null. A call that
/// breaks it is refused with a <see cref="HubException"/> naming the argument, before the method runs.
/// </summary>
public sealed class HubArguments : IHubFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool[]> Required = new();

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var required = Required.GetOrAdd(context.HubMethod, RequiredArguments);
        var parameters = context.HubMethod.GetParameters();
        for (var i = 0; i < Math.Min(required.Length, context.HubMethodArguments.Count); i++)
        {
            if (required[i] && context.HubMethodArguments[i] is null)
            {
                throw new HubException($"'{parameters[i].Name}' is required: it may not be null.");
            }
        }

        return next(context);
    }

    /// <summary>Per parameter: a reference type that is not declared nullable.</summary>
    private static bool[] RequiredArguments(MethodInfo method)
    {
        var nullability = new NullabilityInfoContext();
        return [.. method.GetParameters().Select(p => !p.ParameterType.IsValueType && nullability.Create(p).WriteState == NullabilityState.NotNull)];
    }
}

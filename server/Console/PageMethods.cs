using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace AmvScreening.Server.Consoles;

/// <summary>A console page answers the methods it has handlers for (GET and HEAD always, POST when it has an OnPost
/// handler); any other method is a 405, as for every API route. Without this a page renders for any method.</summary>
public sealed class PageMethods : IPageApplicationModelConvention
{
    public void Apply(PageApplicationModel model)
    {
        var methods = model.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant())
            .Concat([HttpMethods.Get, HttpMethods.Head])
            .Distinct()
            .ToList();
        model.EndpointMetadata.Add(new HttpMethodMetadata(methods));
    }
}

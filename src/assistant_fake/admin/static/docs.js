"use strict";
// Swagger UI 5 for the spec the page names. The spec's first server is the fake's own base
// path, so "Try it out" calls the fake that served this page.
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    displayRequestDuration: true,
    persistAuthorization: true,
    validatorUrl: null, // the default badge would call swagger.io: the fake loads nothing remote
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});

// Starts Swagger UI on /api/docs (a file, not an inline script: the site's CSP allows scripts from 'self' only).
window.addEventListener("load", function () {
  var wadah = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: wadah.dataset.spesifikasi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
  });
});

// A page of the app that does not use the package: the Vite plugin must not preload the .wasm here.
document.getElementById('status').dataset.loaded = 'yes';

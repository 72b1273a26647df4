// Babel transforms the ES modules among JupyterLab's dependencies for jest (the JupyterLab test setup).
module.exports = require("@jupyterlab/testing/lib/babel-config");

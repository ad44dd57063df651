/* The page's entry (cx_audit/templates/cx_audit/tablet.html): start the app in its root element
   with the configuration the server put in the page. Module scripts run after the page is
   parsed, so both elements are there. */

import { start } from "./app.js";

const config = JSON.parse(document.getElementById("tablet-config").textContent);
start(document.getElementById("tablet-app"), config);

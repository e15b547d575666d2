// The sign-in page says when the last attempt failed (the token itself is never in the URL).
if (new URLSearchParams(location.search).has('failed')) document.getElementById('failed').hidden = false;

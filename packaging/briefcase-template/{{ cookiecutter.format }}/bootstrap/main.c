/*
 * /usr/bin/{{ cookiecutter.app_name }}: the launcher of the {{ cookiecutter.formal_name }} system package.
 *
 * It starts the system's libpython{{ cookiecutter.python_version }} (a declared dependency of the package) the way
 * `python3 -I -m {{ cookiecutter.module_name }}` would, with the package's own folders first on sys.path:
 *
 *     <prefix>/lib/{{ cookiecutter.app_name }}/app           the app's code and shipped resources
 *     <prefix>/lib/{{ cookiecutter.app_name }}/app_packages  its requirements (PySide6, cryptography, ...)
 *
 * <prefix> is found from the launcher's own location (/proc/self/exe), so the same binary runs
 * installed (/usr/bin) and from Briefcase's build folder. Isolated mode: the user's PYTHON*
 * variables, user site-packages and the current folder never change what gets imported.
 *
 * Briefcase's test runs (`briefcase run linux system --test`) set BRIEFCASE_MAIN_MODULE to the
 * test entry point; that one module name is accepted, nothing else.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define APP_NAME "{{ cookiecutter.app_name }}"
#define MAIN_MODULE "{{ cookiecutter.module_name }}"
#define TEST_MODULE "tests." MAIN_MODULE

/* Cut the last path component off `path` in place; 0 when there is none left. */
static int strip_component(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path) {
        return 0;
    }
    *slash = '\0';
    return 1;
}

static void check(PyStatus status, PyConfig *config)
{
    if (PyStatus_Exception(status)) {
        if (config != NULL) {
            PyConfig_Clear(config);
        }
        Py_ExitStatusException(status);
    }
}

int main(int argc, char *argv[])
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0) {
        perror(APP_NAME ": cannot find its own location (/proc/self/exe)");
        return 70;
    }
    exe[n] = '\0';

    /* <prefix>/bin/<app> -> <prefix> */
    char prefix[PATH_MAX];
    memcpy(prefix, exe, (size_t)n + 1);
    if (!strip_component(prefix) || !strip_component(prefix)) {
        fprintf(stderr, APP_NAME ": unexpected location %s\n", exe);
        return 70;
    }

    /* sys.path[0] and [1]; in this order, ahead of the standard library. */
    char app_path[PATH_MAX], packages_path[PATH_MAX];
    int len1 = snprintf(app_path, sizeof app_path, "%s/lib/" APP_NAME "/app", prefix);
    int len2 = snprintf(packages_path, sizeof packages_path, "%s/lib/" APP_NAME "/app_packages", prefix);
    if (len1 < 0 || len2 < 0 || (size_t)len1 >= sizeof app_path || (size_t)len2 >= sizeof packages_path) {
        fprintf(stderr, APP_NAME ": installation path too long\n");
        return 70;
    }

    const char *module = MAIN_MODULE;
    const char *requested = getenv("BRIEFCASE_MAIN_MODULE");
    if (requested != NULL && requested[0] != '\0') {
        if (strcmp(requested, TEST_MODULE) != 0) {
            fprintf(stderr, APP_NAME ": BRIEFCASE_MAIN_MODULE may only name " TEST_MODULE "\n");
            return 64;
        }
        module = requested;
    }

    /* UTF-8 everywhere: file names and messages are Japanese whatever the locale says. */
    PyPreConfig preconfig;
    PyPreConfig_InitIsolatedConfig(&preconfig);
    preconfig.utf8_mode = 1;
    check(Py_PreInitialize(&preconfig), NULL);

    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.install_signal_handlers = 1;
    /* /usr/lib is read-only for the user; do not try to write __pycache__ there. */
    config.write_bytecode = 0;
    check(PyConfig_SetBytesString(&config, &config.program_name, exe), &config);
    /* parse_argv stays 0 (isolated): every argument goes to the app, none to Python. */
    check(PyConfig_SetBytesArgv(&config, argc, argv), &config);
    check(PyConfig_SetBytesString(&config, &config.run_module, module), &config);
    check(Py_InitializeFromConfig(&config), &config);
    PyConfig_Clear(&config);

    /* Isolated mode ignores pythonpath_env, so the two folders go into sys.path here, after
       initialisation and before the module runs. */
    PyObject *sys_path = PySys_GetObject("path"); /* borrowed */
    PyObject *app_dir = PyUnicode_DecodeFSDefault(app_path);
    PyObject *packages_dir = PyUnicode_DecodeFSDefault(packages_path);
    if (sys_path == NULL || app_dir == NULL || packages_dir == NULL
        || PyList_Insert(sys_path, 0, packages_dir) != 0 || PyList_Insert(sys_path, 0, app_dir) != 0) {
        PyErr_Print();
        fprintf(stderr, APP_NAME ": cannot set up sys.path\n");
        return 70;
    }
    Py_DECREF(app_dir);
    Py_DECREF(packages_dir);

    /* Runs the module as __main__ and turns SystemExit / an uncaught exception into the exit status. */
    return Py_RunMain();
}
